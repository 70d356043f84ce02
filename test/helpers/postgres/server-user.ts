import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A uid/gid pair that the server processes switch to. */
export interface Account {
  uid: number;
  gid: number;
}

/** How to start one of the server's programs: what to spawn, and as whom. */
export interface Launch {
  file: string;
  args: string[];
  /** Set only when child_process itself must switch user (no setpriv on this machine). */
  uid?: number;
  gid?: number;
}

/** Runs initdb/postgres as the account the server must use, and ties their life to this process. */
export interface ServerUser {
  /** The account the server runs as, or undefined when it runs as the current (non-root) user. */
  readonly account: Account | undefined;
  launch(program: string, args: readonly string[]): Launch;
}

/**
 * PostgreSQL refuses to run as root, so as root we drop to `nobody`, which every Linux image has,
 * instead of creating a user (useradd needs writable /etc and leaves state behind). Its uid is read
 * from /etc/passwd rather than assumed, and it must exist there: initdb and postgres look their
 * own uid up by name and stop if it has none.
 */
function nobody(): Account {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('running as root, but /etc/passwd has no "nobody" user for PostgreSQL to run as (it refuses root)');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * setpriv (util-linux) both switches user and sets a parent-death signal that survives its exec,
 * so a postmaster started by a vitest that is then killed (SIGKILL, OOM, a closed terminal) shuts
 * itself down instead of living on. Probed once, since old or non-Linux systems lack it or --pdeathsig.
 */
function hasSetpriv(): boolean {
  return spawnSync('setpriv', ['--pdeathsig', 'QUIT', '--', 'true'], { stdio: 'ignore' }).status === 0;
}

export function serverUser(): ServerUser {
  const account = process.getuid?.() === 0 ? nobody() : undefined;
  const setpriv = hasSetpriv();
  return {
    account,
    launch(program, args) {
      if (setpriv) {
        // QUIT is PostgreSQL's immediate shutdown: the postmaster takes its backends down with it.
        const drop = account ? ['--reuid', String(account.uid), '--regid', String(account.gid), '--clear-groups'] : [];
        return { file: 'setpriv', args: [...drop, '--pdeathsig', 'QUIT', '--', program, ...args] };
      }
      // Without setpriv, libuv switches user (and clears supplementary groups); orphans are then
      // left for the next run's sweep (see run-dir.ts).
      return { file: program, args: [...args], ...account };
    },
  };
}
