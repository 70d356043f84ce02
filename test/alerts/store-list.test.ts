import { afterEach, describe, expect, test } from 'vitest';
import type { NewAlert } from '../../src/core/ports/alerts.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { T0 } from './fixtures.js';

let store: SqliteStore | undefined;
afterEach(() => store?.close());

function alert(i: number, over: Partial<NewAlert> = {}): NewAlert {
  return {
    fingerprint: `utilization|acc-${i}|`, type: 'utilization', account: `acc-${i}`, severity: i % 2 ? 'WARN' : 'CRITICAL', state: 'firing',
    summary: `utilization ${i}`, value: 0.9, threshold: 0.85, sources: [`acc-${i}`], startsAt: T0 + i, updatedAt: T0 + i, clearTicks: 0, ...over,
  };
}

describe('SqliteAlertStore.list', () => {
  test('limits and filters, with the same prepared statement reused across calls', async () => {
    store = SqliteStore.open(':memory:');
    for (let i = 0; i < 10; i++) await store.alerts.insert(alert(i, i === 9 ? { type: 'sync', fingerprint: 'sync|acc-9|' } : {}));
    expect((await store.alerts.list({})).length).toBe(10);
    expect((await store.alerts.list({ limit: 3 })).map((a) => a.severity)).toEqual(['CRITICAL', 'CRITICAL', 'CRITICAL']);
    expect((await store.alerts.list({ limit: 3 })).length).toBe(3);
    expect((await store.alerts.list({ limit: 2.7 })).length).toBe(2);
    expect(await store.alerts.list({ limit: 0 })).toEqual([]);
    expect((await store.alerts.list({ limit: Number.NaN })).length).toBe(10);
    expect((await store.alerts.list({ state: 'active', type: 'sync', limit: Number.MAX_SAFE_INTEGER })).map((a) => a.account)).toEqual(['acc-9']);
    expect((await store.alerts.list({ severity: 'WARN', account: 'acc-3' })).map((a) => a.account)).toEqual(['acc-3']);
  });
});
