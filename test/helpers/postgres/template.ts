import { randomBytes, createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresBinaries } from './binaries.js';
import { runLogged } from './child.js';
import type { ServerUser } from './server-user.js';

export const SUPERUSER = 'postgres';

// -N skips fsync of the new cluster; C locale and UTF8 need no locale installed on the machine;
// 1 MB WAL segments (not 16) keep the cluster small, as every run copies it.
const INITDB_FLAGS = ['-U', SUPERUSER, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--wal-segsize=1', '-N', '--no-instructions'];

export interface Cluster {
  /** A never-started cluster of the run's own, ready for `postgres -D`. */
  dataDir: string;
  /** The superuser's password (the same for every copy of one template). */
  password: string;
  /** True when copied from a template an earlier run left, which a failed start should distrust. */
  fromCache: boolean;
}

/**
 * initdb is nearly all of the start-up time (1–2.5 s here, against ~0.2 s to copy its result), so
 * the first run on a machine keeps its fresh cluster in the temp dir as a template and later runs
 * copy it. The name carries everything the cluster depends on: binaries version, owner, initdb flags.
 */
function templatePath(user: ServerUser, binaries: PostgresBinaries): string {
  const owner = user.account?.uid ?? process.getuid?.() ?? 0;
  const flags = createHash('sha256').update(JSON.stringify(INITDB_FLAGS)).digest('hex').slice(0, 8);
  return join(tmpdir(), `delta-ops-pgtemplate-${binaries.version}-u${owner}-${flags}`);
}

/** Runs initdb into `dir` (created for, and owned by, the server user) with a random superuser password. */
async function initCluster(user: ServerUser, binaries: PostgresBinaries, dir: string, logFile: string): Promise<void> {
  mkdirSync(dir, { mode: 0o700 });
  const pwFile = join(dir, 'password');
  // The password reaches initdb through a file only the server user can read, never a command line.
  writeFileSync(pwFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  if (user.account) {
    chownSync(dir, user.account.uid, user.account.gid);
    chownSync(pwFile, user.account.uid, user.account.gid);
  }
  await runLogged(user, binaries.initdb, ['-D', join(dir, 'data'), `--pwfile=${pwFile}`, ...INITDB_FLAGS], logFile);
}

/**
 * Returns the machine's template, making it first if needed. It is built inside the run directory
 * and renamed into place, so a killed run never leaves a half-made template (its run directory is
 * swept instead), and of two runs racing to make it, the loser just uses its own.
 */
async function template(user: ServerUser, binaries: PostgresBinaries, runDir: string, logFile: string): Promise<{ dir: string; fromCache: boolean }> {
  const shared = templatePath(user, binaries);
  if (existsSync(join(shared, 'data', 'PG_VERSION'))) return { dir: shared, fromCache: true };
  // Templates appear whole (by rename), so one without PG_VERSION was damaged since, e.g. by a
  // temp-dir cleaner: remove it, or it would block the rename below forever.
  if (existsSync(shared) && !existsSync(join(shared, 'data', 'PG_VERSION'))) rmSync(shared, { recursive: true, force: true });
  const own = join(runDir, 'template');
  await initCluster(user, binaries, own, logFile);
  try {
    renameSync(own, shared);
    return { dir: shared, fromCache: false };
  } catch {
    return { dir: own, fromCache: false };
  }
}

/** Gives the run its own copy of the template at runDir/data, copied as the server user so it owns every file. */
export async function prepareCluster(user: ServerUser, binaries: PostgresBinaries, runDir: string, logFile: string): Promise<Cluster> {
  const { dir, fromCache } = await template(user, binaries, runDir, logFile);
  const dataDir = join(runDir, 'data');
  await runLogged(user, 'cp', ['-a', join(dir, 'data'), dataDir], logFile);
  const password = readFileSync(join(dir, 'password'), 'utf8').trim();
  return { dataDir, password, fromCache };
}

/** Drops the cached template (after a copy of it failed to start) so the next prepareCluster() rebuilds it. */
export function forgetTemplate(user: ServerUser, binaries: PostgresBinaries, runDir: string): void {
  rmSync(templatePath(user, binaries), { recursive: true, force: true });
  rmSync(join(runDir, 'data'), { recursive: true, force: true });
}
