import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import type { ServerUser } from './server-user.js';

// The server's programs get no inherited PG* variables, and a locale that exists everywhere.
const CHILD_ENV = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' };

/**
 * Starts a program as the server user with stdout and stderr appended to the run's log file, so the
 * server never writes into the test output, yet everything it said is there when a start fails.
 */
export function spawnLogged(user: ServerUser, program: string, args: string[], logFile: string): ChildProcess {
  const { file, args: argv, uid, gid } = user.launch(program, args);
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(file, argv, { uid, gid, env: CHILD_ENV, stdio: ['ignore', log, log] });
    // A failed spawn shows as a missing pid (see hasExited); don't let it also become an uncaught 'error'.
    child.on('error', () => undefined);
    return child;
  } finally {
    closeSync(log); // the child holds its own copy of the descriptor
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

/** The exit code (null when killed by a signal or never started). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  if (hasExited(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
}

/** Runs a program to completion; throws with the log's tail unless it exits 0. */
export async function runLogged(user: ServerUser, program: string, args: string[], logFile: string): Promise<void> {
  const code = await exitOf(spawnLogged(user, program, args, logFile));
  if (code !== 0) throw new Error(`${program} exited with ${String(code)}; ${logTailMessage(logFile)}`);
}

export function logTailMessage(logFile: string, lines = 30): string {
  let tail: string;
  try {
    tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    tail = '(nothing)';
  }
  return `log ${logFile} ends with:\n${tail}`;
}
