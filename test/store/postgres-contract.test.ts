import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/pg-store.js';
import { freshDatabase } from '../helpers/postgres/fresh-database.js';
import { storeContract, type HourlyRow } from './store-contract.js';

/** The hourly rows read beside the store, on a connection of their own. */
async function hourlyRows(url: string): Promise<HourlyRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<HourlyRow>('SELECT metric, scope, ts::float8 AS ts, avg, min, max, n::float8 AS n FROM metrics_hourly ORDER BY metric, scope, ts');
    return rows;
  } finally {
    await client.end();
  }
}

storeContract('postgres', async () => {
  const db = await freshDatabase();
  const store = await PostgresStore.open(db.url);
  return {
    store,
    hourlyRows: () => hourlyRows(db.url),
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
});
