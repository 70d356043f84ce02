import module from 'node:module';

/**
 * The entry point (`npm start`, the Docker image, the systemd unit: `node dist/src/main.js`). It only
 * turns on Node's on-disk compile cache, then loads the CLI (./run-cli.ts): the cache must be on before
 * the app's modules are compiled, and every module a file imports statically is compiled before the file
 * runs, so nothing but a Node built-in is imported here.
 *
 * The cache (Node ≥ 22.1; a no-op on Node 20) keeps V8's compiled code of every module loaded, under
 * $NODE_COMPILE_CACHE or `<os tmpdir>/node-compile-cache`, and saves a restart ~40 ms of compiling
 * (BENCHMARKS.md, "Start-up"). A directory it cannot write only means no cache; NODE_DISABLE_COMPILE_CACHE=1
 * turns it off.
 */
function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  try {
    enable.call(module);
  } catch {
    // No cache: the start compiles as it would without one.
  }
}

enableCompileCache();
await import('./run-cli.js');
