import { expect } from 'vitest';
import type { AlertFilter, AlertRecord, AuditFilter } from '../../src/core/ports/alerts.js';
import type { MetricPoint, Store, StoreScope } from '../../src/core/ports/store.js';
import { seededRandom as random } from '../../src/venues/paper/seeded-random.js';
import { HOUR, newAlert, T0 } from './contract/types.js';

const ACCOUNTS = ['acct-1', 'acct-2', 'acct-10'];
const TYPES = ['utilization', 'sync', 'drawdown'] as const;
const SEVERITIES = ['INFO', 'WARN', 'CRITICAL'] as const;
const STATES = ['pending', 'firing', 'resolved'] as const;
const SERIES = [['equity', 'acct-1'], ['equity', 'acct-2'], ['utilization', 'acct-1']] as const;

/**
 * One random step of writes, the same on both stores. `scope` is the store or a transaction's scope;
 * `ids` the alerts inserted so far.
 */
async function step(r: () => number, scopes: readonly StoreScope[], reference: StoreScope, ids: number[], clock: { now: number; ts: number }): Promise<void> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const k = r();
  clock.now += Math.floor(r() * 60_000);
  if (k < 0.2) {
    const a = newAlert({
      fingerprint: `f${ids.length}`, type: pick(TYPES), account: r() < 0.2 ? undefined : pick(ACCOUNTS), symbol: r() < 0.5 ? 'BTC' : undefined,
      severity: pick(SEVERITIES), state: r() < 0.5 ? 'pending' : 'firing', startsAt: clock.now - Math.floor(r() * 3) * 1000, updatedAt: clock.now,
    });
    for (const s of scopes) ids[ids.length] = (await s.alerts.insert(a)).id;
  } else if (k < 0.45 && ids.length > 0) {
    const current = await reference.alerts.get(pick(ids));
    if (!current) return;
    const next: AlertRecord = { ...current, state: pick(STATES), severity: pick(SEVERITIES), value: r(), updatedAt: clock.now, sources: [pick(ACCOUNTS)] };
    if (r() < 0.3) Object.assign(next, { ackedAt: clock.now, ackedBy: 'alice' });
    if (next.state === 'resolved') Object.assign(next, { resolvedAt: clock.now, resolvedBy: 'auto' });
    for (const s of scopes) await s.alerts.update(next);
  } else if (k < 0.55) {
    const startsAt = clock.now - 60_000;
    const silence = { matcher: { account: pick(ACCOUNTS) }, startsAt, endsAt: startsAt + Math.floor(r() * 4) * 600_000, createdBy: 'alice', reason: 'r', createdAt: clock.now };
    for (const s of scopes) await s.silences.insert(silence);
  } else if (k < 0.6) {
    const id = 1 + Math.floor(r() * 6);
    for (const s of scopes) await s.silences.expire(id, clock.now, 'bob');
  } else if (k < 0.7) {
    const e = { at: clock.now, actorId: pick(['u1', 'u2']), actorName: pick(['Alice', 'BOB']), source: 'console', action: pick(['ack', 'silence'] as const), target: 't', outcome: pick(['done', 'refused'] as const) };
    for (const s of scopes) await s.audit.append(e);
  } else if (k < 0.97) {
    // Mostly in order, sometimes the same ts again, sometimes older than the last; ~27 h in all.
    clock.ts += r() < 0.15 ? 0 : r() < 0.1 ? -20 * 60_000 : 5 * 60_000 + Math.floor(r() * 10) * 60_000;
    const samples = SERIES.filter(() => r() < 0.8).map(([metric, scope]) => ({ ts: clock.ts, metric, scope, value: Math.round(r() * 1e6) / 100 }));
    for (const s of scopes) await s.metrics.append(samples);
  } else {
    const rawBefore = clock.ts - Math.floor(r() * 3) * HOUR;
    for (const s of scopes) await s.metrics.compact(rawBefore, rawBefore - 2 * HOUR);
  }
}

const ALERT_FILTERS: AlertFilter[] = [{}, { state: 'pending' }, { state: 'firing', severity: 'CRITICAL' }, { account: 'acct-1' }, { type: 'sync' }, { limit: 3 }, { state: 'resolved' }, { state: 'all', limit: 5 }];
const AUDIT_FILTERS: AuditFilter[] = [{}, { limit: 3 }, { actor: 'alice' }, { actorId: 'u2', action: 'ack' }, { outcome: 'refused', limit: 2 }, { since: T0 + 3_600_000 }];

/** Every read the read model answers, on both stores: they must agree. */
async function compare(model: Store, plain: Store, clock: { now: number; ts: number }, label: string): Promise<void> {
  expect(await model.alerts.active(), `${label}: active`).toEqual(await plain.alerts.active());
  for (const f of ALERT_FILTERS) expect(await model.alerts.list(f), `${label}: list ${JSON.stringify(f)}`).toEqual(await plain.alerts.list(f));
  for (const since of [clock.now, clock.now + 600_000, clock.now - 300_000]) expect(await model.silences.list(since), `${label}: silences ${since}`).toEqual(await plain.silences.list(since));
  for (const f of AUDIT_FILTERS) expect(await model.audit.list(f), `${label}: audit ${JSON.stringify(f)}`).toEqual(await plain.audit.list(f));
  // Narrow windows first: a wide one reads the store again and would hide what a narrow one gets wrong.
  for (const [metric, scope] of SERIES) {
    for (const [from, to, slices] of [[clock.ts - 3 * HOUR, clock.ts - HOUR, 7], [clock.ts - 20 * 60_000, clock.ts, 5], [clock.ts - 6 * HOUR, clock.ts, 50], [clock.ts - 20 * HOUR, clock.ts + HOUR, 500]] as const) {
      // `samples` is exact only up to the slices (MetricsStore.rangeSampled): above, any larger number says so.
      const read = async (store: Store): Promise<{ points: MetricPoint[]; samples: number | 'more' }> => {
        const { points, samples } = await store.metrics.rangeSampled(metric, scope, from, to, slices);
        return { points, samples: samples > slices ? 'more' : samples };
      };
      expect(await read(model), `${label}: ${metric} ${scope} ${from}..${to}/${slices}`).toEqual(await read(plain));
    }
  }
}

/**
 * The same random writes (alerts, silences, audit, metrics appended out of order and compacted, a
 * sixth of the steps in transactions, a third of those rolled back) on a plain store and on a read
 * model over another, every read the model answers compared every few steps.
 */
export async function expectReadModelAgrees(plain: Store, model: Store, steps: number, seed = 20261207): Promise<void> {
    const r = random(seed);
    const ids: number[] = [];
    const clock = { now: T0, ts: T0 };
    for (let i = 0; i < steps; i++) {
      if (r() < 0.15) {
        // A few writes in one transaction on each store; a third of them roll back.
        const n = 1 + Math.floor(r() * 4);
        const rollback = r() < 0.33;
        const seed = Math.floor(r() * 1e9);
        const before = { ...clock };
        const idsBefore = ids.length;
        const inTx = async (store: Store): Promise<void> => {
          Object.assign(clock, before);
          ids.length = idsBefore;
          await store
            .transaction(async (tx) => {
              const rr = random(seed);
              for (let j = 0; j < n; j++) await step(rr, [tx], tx, ids, clock);
              if (rollback) throw new Error('roll back');
            })
            .catch((err: unknown) => {
              if (!(err instanceof Error) || err.message !== 'roll back') throw err;
            });
        };
        await inTx(plain);
        await inTx(model);
        if (rollback) {
          Object.assign(clock, before);
          ids.length = idsBefore;
        }
      } else {
        await step(r, [plain, model], plain, ids, clock);
      }
      if (i % 4 === 0) await compare(model, plain, clock, `step ${i}`);
    }
    await compare(model, plain, clock, 'end');
    expect((await plain.alerts.active()).length).toBeGreaterThan(3);
    expect(await plain.metrics.count()).toBeGreaterThan(20);
}
