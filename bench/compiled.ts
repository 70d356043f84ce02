/**
 * Running benchmarks on what production runs: the compiled JavaScript in dist/ (`npm run build`) under the
 * flags of `npm start`, not the TypeScript sources through tsx.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '..');
/** The entry point `npm start` runs. */
export const DIST_MAIN = join(ROOT, 'dist/src/main.js');

/** dist/ must be the compiled form of the current sources, or a compiled run measures old code. */
export function assertBuilt(): void {
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const js = join(ROOT, 'dist', relative(ROOT, p)).replace(/\.ts$/, '.js');
        if (!existsSync(js) || statSync(js).mtimeMs < statSync(p).mtimeMs) stale.push(relative(ROOT, p));
      }
    }
  };
  walk(join(ROOT, 'src'));
  walk(join(ROOT, 'commands'));
  if (stale.length) throw new Error(`dist/ is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}: run \`npm run build\` first`);
}

/**
 * The Node flags of `npm start` (package.json: `node <flags> dist/src/main.js`), so a benchmark that runs
 * the app as production does follows the start script when it changes.
 */
export function npmStartFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const words = (pkg.scripts?.['start'] ?? '').trim().split(/\s+/);
  const entry = words.indexOf('dist/src/main.js');
  if (words[0] !== 'node' || entry < 0) throw new Error(`package.json "start" is not \`node [flags] dist/src/main.js\`: ${pkg.scripts?.['start']}`);
  return words.slice(1, entry);
}

/**
 * Compiles a bench script (`bench/soak-child.ts`) and the bench modules it imports to dist/bench/, next to
 * dist/src/, so its `../src/…` imports load the compiled app, as `npm start` does, and no tsx is in the
 * process. Types are only stripped (the sources are typechecked by `npm run typecheck`). Returns the
 * compiled entry's path. Call assertBuilt() first.
 */
export function compileBenchScript(file: string): string {
  const done = new Map<string, string>();
  const compile = (src: string): string => {
    const known = done.get(src);
    if (known) return known;
    const out = join(ROOT, 'dist', relative(ROOT, src)).replace(/\.ts$/, '.js');
    done.set(src, out);
    const text = readFileSync(src, 'utf8');
    const js = ts.transpileModule(text, {
      fileName: src,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, js);
    // The bench modules it imports (`./app-fixture.js`); `../src/…` is already in dist/.
    for (const m of text.matchAll(/from '(\.\/[^']+)\.js'/g)) {
      const dep = join(dirname(src), `${m[1]}.ts`);
      if (existsSync(dep)) compile(dep);
    }
    return out;
  };
  return compile(resolve(file));
}

/**
 * The environment of a bot started by a bench: only PATH and HOME of this one (no NODE_OPTIONS, no .env,
 * no DATABASE_URL or token of the person running it), plus `extra`.
 */
export function botEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_OPTIONS: '', DELTA_OPS_ENV_FILE: '/dev/null', ...extra };
}
