import { describe, it } from 'vitest';
import { ReadModelStore } from '../../src/store/read-model/read-model-store.js';
import { postgresStores } from '../helpers/postgres/store-fixture.js';
import { expectReadModelAgrees } from './read-model-differential.js';

const { database, open } = postgresStores();

describe('ReadModelStore over PostgreSQL', () => {
  it('answers every read as PostgreSQL does (staged samples, hourly rows, transactions), through random writes', async () => {
    const plain = await open(await database());
    const model = new ReadModelStore(await open(await database()), () => 0);
    await expectReadModelAgrees(plain, model, 300, 7);
  });
});
