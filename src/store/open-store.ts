import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import type { LeaderLease } from '../core/ports/leader-lease.js';
import type { Store } from '../core/ports/store.js';

export interface OpenedStore {
  store: Store;
  /** PostgreSQL only: the lease that elects one leader among the replicas sharing it. */
  lease?: LeaderLease;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

/**
 * PostgreSQL when `store.url` (or DATABASE_URL) is set, else the SQLite file at `store.path`, locked for
 * this process. A PostgreSQL server that does not answer at start is waited for, with backoff and a log
 * line each time, rather than exiting (a supervisor would restart us in a loop); anything else (wrong
 * password, a failed migration) is a StoreError with one line.
 */
export async function openStore(config: AppConfig, logger: Logger, sleep: (ms: number) => Promise<void> = defaultSleep): Promise<OpenedStore> {
  // Each store's modules load only when it is the one configured: node-postgres (~30 modules) costs a
  // SQLite start-up ~0.1 s, and the SQLite driver has no business in a PostgreSQL replica.
  const url = config.store.url;
  if (url === undefined) {
    const { SqliteStore } = await import('./sqlite/sqlite-store.js');
    return { store: SqliteStore.open(config.store.path, { lockAs: config.instanceId }) };
  }
  const [{ describeUrl, PostgresStore }, { isConnectionError }] = await Promise.all([import('./postgres/pg-store.js'), import('./postgres/pg-errors.js')]);
  let delay = FIRST_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const store = await PostgresStore.open(url, { logger, instance: config.instanceId });
      if (attempt > 1) logger.info({ db: store.description, attempt }, 'database reachable: starting');
      return { store, lease: store.lease };
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      logger.warn({ db: describeUrl(url), attempt, retryInMs: delay, reason: err instanceof Error ? err.message : String(err) }, 'database unreachable at start: waiting for it');
      await sleep(delay);
      delay = Math.min(MAX_RETRY_MS, delay * 2);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
