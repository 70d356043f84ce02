import { chownSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Account } from './server-user.js';

// Every run gets its own directory, named after the vitest process that owns it, so a run never
// depends on what an earlier one left behind, and leftovers can be told apart from live runs.
const PREFIX = 'delta-ops-pg-';
const OWNED = /^delta-ops-pg-(\d+)-/;

/** Run directories this process created; they are never swept, even though their owner pid is ours. */
const ours = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `account` must be able to walk down to `dir`: otherwise initdb fails with a bare "Permission denied". */
function assertReachable(dir: string, account: Account): void {
  for (let d = dir; ; d = dirname(d)) {
    const { mode, uid, gid } = statSync(d);
    const search = uid === account.uid ? 0o100 : gid === account.gid ? 0o010 : 0o001;
    if ((mode & search) === 0) {
      throw new Error(`uid ${account.uid} (the PostgreSQL server's user) cannot enter ${d}: point TMPDIR at a directory it can reach`);
    }
    if (dirname(d) === d) return;
  }
}

/** A fresh, private directory for one server's data and log, owned by the server's account. */
export function createRunDir(account: Account | undefined): string {
  if (account) assertReachable(tmpdir(), account);
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  ours.add(dir);
  if (account) chownSync(dir, account.uid, account.gid);
  return dir;
}

export function removeRunDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  ours.delete(dir);
}

/** The postmaster of a leftover run, if it still runs (checked against its command line, as pids get reused). */
function orphanPostmaster(dir: string): number | undefined {
  const dataDir = join(dir, 'data');
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(dataDir) ? pid : undefined;
  } catch {
    return undefined; // no pid file, no such process, or no /proc: nothing we can safely kill
  }
}

/**
 * Removes what killed runs left: their directories and, where setpriv's parent-death signal was not
 * available, their still-running servers. Only directories whose owning process is gone are touched,
 * so concurrent vitest runs on the same machine leave each other alone.
 */
export async function sweepStaleRunDirs(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    const owner = OWNED.exec(name)?.[1];
    const dir = join(tmpdir(), name);
    if (owner === undefined || ours.has(dir)) continue;
    // Our own pid can only be on a directory from an earlier run (pids repeat in fresh containers).
    if (Number(owner) !== process.pid && alive(Number(owner))) continue;
    const postmaster = orphanPostmaster(dir);
    if (postmaster !== undefined) {
      process.kill(postmaster, 'SIGQUIT');
      for (let i = 0; i < 100 && alive(postmaster); i++) await new Promise((r) => setTimeout(r, 20));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
