import { afterEach } from 'vitest';
import { PostgresStore } from '../../../src/store/postgres/pg-store.js';
import { freshDatabase } from './fresh-database.js';

/**
 * Fresh databases and PostgreSQL stores for one test file, closed and dropped after each test (the
 * stores first). Call at the top level of the file; `cleanup` adds anything else to undo.
 */
export function postgresStores(): {
  database(): Promise<string>;
  open(url: string, opts?: Parameters<typeof PostgresStore.open>[1]): Promise<PostgresStore>;
  cleanup(fn: () => Promise<void>): void;
} {
  let cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    const pending = cleanups.reverse();
    cleanups = [];
    for (const c of pending) await c();
  });
  return {
    async database() {
      const db = await freshDatabase();
      cleanups.push(() => db.drop());
      return db.url;
    },
    async open(url, opts = {}) {
      const store = await PostgresStore.open(url, opts);
      cleanups.push(() => store.close());
      return store;
    },
    cleanup(fn) {
      cleanups.push(fn);
    },
  };
}
