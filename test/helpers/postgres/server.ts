import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { postgresBinaries, type PostgresBinaries } from './binaries.js';
import { exitOf, hasExited, logTailMessage, spawnLogged } from './child.js';
import { createRunDir, removeRunDir, sweepStaleRunDirs } from './run-dir.js';
import { serverUser, type ServerUser } from './server-user.js';
import { forgetTemplate, prepareCluster, SUPERUSER, type Cluster } from './template.js';

/** One running PostgreSQL server, reachable on 127.0.0.1 only. */
export interface PostgresServer {
  /** Superuser URL of the `postgres` database, with its password. */
  readonly adminUrl: string;
  /** Everything initdb and the server printed; removed with the rest of the run by stop(). */
  readonly logFile: string;
  /** PostgreSQL's version line, e.g. "PostgreSQL 18.4 on x86_64-pc-linux-gnu …". */
  readonly version: string;
  /** Fast shutdown, then removes the run's data directory and log. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

// Durability is pointless for a throw-away cluster and costs most of the time of DDL-heavy tests.
// No Unix socket: TCP only, so no socket or lock file lands in a shared /tmp to collide with a
// system server or a killed run on the same port.
const SERVER_SETTINGS = [
  'listen_addresses=127.0.0.1',
  'unix_socket_directories=',
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'max_connections=200',
];

/** A port that was free a moment ago; the server may still lose it to a race, so launch() retries. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Resolves with the version line once the server answers queries; undefined if the server exited first. */
async function whenReady(url: string, server: ChildProcess): Promise<string | undefined> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(server)) return undefined;
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query<{ version: string }>('select version()');
      return rows[0]?.version ?? 'PostgreSQL (unknown version)';
    } catch {
      await new Promise((r) => setTimeout(r, 25)); // refused, or "the database system is starting up"
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS} ms`);
}

async function stopProcess(server: ChildProcess): Promise<void> {
  if (hasExited(server)) return;
  const exited = exitOf(server);
  server.kill('SIGINT'); // fast shutdown: ends open sessions instead of waiting for them
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited.finally(() => clearTimeout(timer));
}

interface Running {
  process: ChildProcess;
  adminUrl: string;
  version: string;
}

/** Starts postgres on the cluster and waits until it answers; throws with the log's tail if it can't. */
async function launch(user: ServerUser, binaries: PostgresBinaries, cluster: Cluster, logFile: string): Promise<Running> {
  const settings = SERVER_SETTINGS.flatMap((s) => ['-c', s]);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawnLogged(user, binaries.postgres, ['-D', cluster.dataDir, '-p', String(port), ...settings], logFile);
    const adminUrl = `postgres://${SUPERUSER}:${cluster.password}@127.0.0.1:${port}/postgres`;
    const version = await whenReady(adminUrl, server).catch(async (error: unknown) => {
      await stopProcess(server);
      throw new Error(`${error instanceof Error ? error.message : String(error)}; ${logTailMessage(logFile)}`);
    });
    if (version !== undefined) return { process: server, adminUrl, version };
    // Lost the port between freePort() and bind: try another. Any other early exit is a real failure.
    if (attempt >= 3 || !/could not bind|Address already in use/.test(logTailMessage(logFile, 10))) {
      throw new Error(`postgres exited during start-up (code ${String(server.exitCode)}, signal ${String(server.signalCode)}); ${logTailMessage(logFile)}`);
    }
  }
}

/**
 * Starts a PostgreSQL server with a cluster of its own in a new directory under the temp dir, on a
 * free port of 127.0.0.1. As root, it runs as `nobody` (see server-user.ts). On failure the run
 * directory is kept for inspection; the next start sweeps it.
 */
export async function startPostgres(): Promise<PostgresServer> {
  await sweepStaleRunDirs();
  const user = serverUser();
  const binaries = postgresBinaries(user);
  const runDir = createRunDir(user.account);
  const logFile = join(runDir, 'postgres.log');

  let cluster = await prepareCluster(user, binaries, runDir, logFile);
  let running: Running;
  try {
    running = await launch(user, binaries, cluster, logFile);
  } catch (error) {
    if (!cluster.fromCache) throw error;
    // A template from an earlier run may have been damaged since (temp-dir cleaners): rebuild it once.
    forgetTemplate(user, binaries, runDir);
    cluster = await prepareCluster(user, binaries, runDir, logFile);
    running = await launch(user, binaries, cluster, logFile);
  }

  let stopped = false;
  return {
    adminUrl: running.adminUrl,
    logFile,
    version: running.version,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcess(running.process);
      removeRunDir(runDir);
    },
  };
}
