import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ReadModelStore } from '../../src/store/read-model/read-model-store.js';
import { tempDir } from '../helpers/run-cli.js';
import { storeContract, type HourlyRow } from './store-contract.js';

// The leader's read model answers the same as the store under it: the whole contract, through it.
storeContract('sqlite under the read model', async () => {
  const dir = tempDir();
  const inner = SqliteStore.open(join(dir, 'store.sqlite'));
  return {
    store: new ReadModelStore(inner, () => 0),
    hourlyRows: async () => inner.db.prepare('SELECT metric, scope, ts, avg, min, max, n FROM metrics_hourly ORDER BY metric, scope, ts').all() as HourlyRow[],
    async cleanup() {
      await inner.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
