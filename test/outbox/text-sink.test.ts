import { afterEach, expect, test } from 'vitest';
import { Dispatcher } from '../../src/core/outbox/dispatcher.js';
import { TextSink } from '../../src/console/text-sink.js';
import { buildDailySummary } from '../../src/core/summary/build-summary.js';
import { createDailySummaryJob } from '../../src/core/summary/daily-job.js';
import { admin, harness, metrics, riskOf, silentLogger, snapshotOf, TICK, type Harness } from '../alerts/fixtures.js';

let h: Harness;
afterEach(() => h?.close());

test('the console prints alerts and summaries as they are dispatched, and edits as updates', async () => {
  h = harness();
  const out: string[] = [];
  const sink = new TextSink((t) => out.push(t), 'test');
  const dispatcher = new Dispatcher({ outbox: h.store.outbox, sinks: [sink], clock: h.clock, logger: silentLogger });
  const snap = (now: number) => snapshotOf(now, [{ id: 'acc-1' }]);
  const risk = (now: number) => riskOf(now, [metrics('acc-1', { utilization: 0.97 })]);
  for (let i = 0; i < 3; i++) {
    h.clock.advance(TICK);
    await h.engine.evaluate(snap(h.clock.now()), risk(h.clock.now()), h.clock.now());
    await dispatcher.dispatchDue();
  }
  expect(out).toHaveLength(1);
  const id = (await h.service.list())[0]!.shortId;
  expect(out[0]?.split('\n').slice(0, 3)).toEqual([`[CRITICAL] [${id}] CRITICAL utilization · acc-1`, '='.repeat(`[CRITICAL] [${id}] CRITICAL utilization · acc-1`.length), 'utilization 97.0% > 95.0%']);
  expect(out[0]).toContain(`Actions: Acknowledge [alert:ack:${id}] · Silence 1h [alert:silence1h:${id}]`);

  await h.service.ack(admin, id, 'on it');
  await dispatcher.dispatchDue();
  expect(out).toHaveLength(2);
  expect(out[1]?.startsWith('(update of console#1)\n')).toBe(true);
  expect(out[1]).toContain('acknowledged by ann: on it');
  expect(out[1]).not.toContain('Actions:');

  const job = createDailySummaryJob({
    store: h.store,
    build: (now, at) => buildDailySummary({ metrics: h.store.metrics, alerts: h.store.alerts, accounts: [{ id: 'acc-1' }], symbols: [], symbolLimits: () => ({ tolerance: 0.05, maxDeviation: 0.1 }), targetUtilization: 0.75, tolerance: 0.1 }, now, at),
    sinks: ['test'],
    timezone: 'UTC',
    clock: h.clock,
    logger: silentLogger,
  });
  await job(h.clock.now());
  await dispatcher.dispatchDue();
  expect(out).toHaveLength(3);
  expect(out[2]?.split('\n')[0]).toBe('[CRITICAL] Daily utilization summary · 2026-01-05 09:00 UTC');
  expect(out[2]).toContain('Alerts in 24h: 1 fired, 1 acknowledged, 0 resolved · 1 CRITICAL still open');
});
