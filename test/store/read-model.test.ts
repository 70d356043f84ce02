import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadModelStore } from '../../src/store/read-model/read-model-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/run-cli.js';
import { HOUR, newAlert, T0 } from './contract/types.js';
import { expectReadModelAgrees } from './read-model-differential.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function sqlite(): SqliteStore {
  const dir = tempDir();
  const store = SqliteStore.open(join(dir, 'store.sqlite'));
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

describe('ReadModelStore: the leader read model', () => {
  it('answers every read as SQLite does, through random writes, transactions and rollbacks', async () => {
    const plain = sqlite();
    const model = new ReadModelStore(sqlite(), () => 0);
    await expectReadModelAgrees(plain, model, 400);
  });

  it('answers from memory while it is the only writer, and reads the store again in a new term or none', async () => {
    const inner = sqlite();
    let term: number | undefined = 1;
    const store = new ReadModelStore(inner, () => term);
    const a = await store.alerts.insert(newAlert());
    expect((await store.alerts.active()).map((x) => x.id)).toEqual([a.id]);
    // Written behind its back (what another leader would do): not seen within the term…
    const b = await inner.alerts.insert(newAlert({ fingerprint: 'other' }));
    expect((await store.alerts.active()).map((x) => x.id)).toEqual([a.id]);
    // …seen as soon as the term ends (a standby, a lapsed lease) and in the next one.
    term = undefined;
    expect((await store.alerts.active()).map((x) => x.id)).toEqual([a.id, b.id]);
    const c = await inner.alerts.insert(newAlert({ fingerprint: 'third' }));
    term = 2;
    expect((await store.alerts.active()).map((x) => x.id)).toEqual([a.id, b.id, c.id]);
  });

  it('keeps answering the commands\' reads while the database does not answer', async () => {
    const inner = sqlite();
    const store = new ReadModelStore(inner, () => 0);
    await store.alerts.insert(newAlert());
    await store.audit.append({ at: T0, actorId: 'u1', actorName: 'Alice', source: 'console', action: 'ack', target: 'x', outcome: 'done' });
    await store.metrics.append([{ ts: T0, metric: 'equity', scope: 'acct-1', value: 5 }]);
    const expected = { active: await store.alerts.active(), audit: await store.audit.list({ limit: 25 }), silences: await store.silences.list(T0), history: await store.metrics.rangeSampled('equity', 'acct-1', T0 - HOUR, T0, 500) };
    await store.idle();
    const down = (): Promise<never> => Promise.reject(new Error('database down'));
    Object.assign(inner.alerts, { active: down, list: down });
    Object.assign(inner.audit, { list: down });
    Object.assign(inner.silences, { list: down });
    Object.assign(inner.metrics, { range: down, rangeSampled: down });
    expect(await store.alerts.active()).toEqual(expected.active);
    expect(await store.alerts.list({})).toEqual(expected.active);
    expect(await store.audit.list({ limit: 25 })).toEqual(expected.audit);
    expect(await store.silences.list(T0 + 1)).toEqual(expected.silences);
    expect(await store.metrics.rangeSampled('equity', 'acct-1', T0 - HOUR, T0 + 1, 500)).toEqual(expected.history);
    expect(expected.history.points).toEqual([{ ts: T0, value: 5 }]);
  });

  it('keeps a series read for /history and follows its appends; one too long to keep is read thinned from the store', async () => {
    const inner = sqlite();
    const store = new ReadModelStore(inner, () => 0);
    const calls = { range: 0, rangeSampled: 0 };
    const range = inner.metrics.range.bind(inner.metrics);
    const rangeSampled = inner.metrics.rangeSampled.bind(inner.metrics);
    Object.assign(inner.metrics, {
      range: (...args: Parameters<typeof range>) => (calls.range++, range(...args)),
      rangeSampled: (...args: Parameters<typeof rangeSampled>) => (calls.rangeSampled++, rangeSampled(...args)),
    });
    const day = Array.from({ length: 5_760 }, (_, i) => ({ ts: T0 + i * 15_000, metric: 'equity', scope: 'acct-1', value: i }));
    await store.metrics.append(day);
    const end = T0 + 5_760 * 15_000;
    // The first read is the store's thinned one; the series is read whole beside it and kept.
    const first = await store.metrics.rangeSampled('equity', 'acct-1', T0, end, 500);
    expect(first.points).toHaveLength(500);
    await store.idle();
    expect(calls).toEqual({ range: 1, rangeSampled: 1 });
    await store.metrics.append([{ ts: end, metric: 'equity', scope: 'acct-1', value: -1 }]);
    const second = await store.metrics.rangeSampled('equity', 'acct-1', T0, end, 500);
    expect(second.points.at(-1)).toEqual({ ts: end, value: -1 });
    expect(second).toEqual(await rangeSampled('equity', 'acct-1', T0, end, 500));
    expect(calls).toEqual({ range: 1, rangeSampled: 1 });

    // A week of 15-s samples: more than the model keeps of a series.
    const week = Array.from({ length: 40_320 }, (_, i) => ({ ts: T0 + i * 15_000, metric: 'equity', scope: 'acct-2', value: i }));
    await store.metrics.append(week);
    for (let i = 0; i < 2; i++) {
      expect(await store.metrics.rangeSampled('equity', 'acct-2', T0, T0 + 7 * 24 * HOUR, 500)).toEqual(await rangeSampled('equity', 'acct-2', T0, T0 + 7 * 24 * HOUR, 500));
      await store.idle();
    }
    // Read whole once beside the first read (too many to keep), then only thinned by the store.
    expect(calls).toEqual({ range: 2, rangeSampled: 3 });
  });

  it('a write that fails drops what was kept: the next read goes to the store', async () => {
    const inner = sqlite();
    const store = new ReadModelStore(inner, () => 0);
    const a = await store.alerts.insert(newAlert());
    expect(await store.alerts.active()).toHaveLength(1);
    const update = inner.alerts.update.bind(inner.alerts);
    // The row lands, then the call fails (a timeout after the commit, say).
    inner.alerts.update = async (row) => {
      await update(row);
      throw new Error('connection lost');
    };
    await expect(store.alerts.update({ ...a, state: 'resolved', resolvedAt: T0 })).rejects.toThrow('connection lost');
    expect(await store.alerts.active()).toEqual([]);
  });
});
