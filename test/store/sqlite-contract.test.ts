import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/run-cli.js';
import { storeContract, type HourlyRow } from './store-contract.js';

storeContract(
  'sqlite',
  async () => {
    const dir = tempDir();
    const store = SqliteStore.open(join(dir, 'store.sqlite'));
    return {
      store,
      hourlyRows: async () => store.db.prepare('SELECT metric, scope, ts, avg, min, max, n FROM metrics_hourly ORDER BY metric, scope, ts').all() as HourlyRow[],
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
);
