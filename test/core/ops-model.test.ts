import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import type { TickOutcome } from '../../src/core/engine.js';
import { isHealthyTick } from '../../src/core/ops/dead-mans-switch.js';
import { OpsModel } from '../../src/core/ops/ops-model.js';
import { MinuteWindow, SAMPLE_EVERY_MS, type ProcessProbe } from '../../src/core/ops/performance.js';
import { buildSystemStatus, feedsOffPrimary } from '../../src/core/ops/system-status.js';
import type { SymbolFeeds } from '../../src/core/feeds/types.js';
import { systemLines } from '../../src/present/system-view.js';
import type { AccountSnapshot, Snapshot } from '../../src/core/types.js';

/** A process that uses 0.25 s of CPU per wall second and 100 MiB, on the test's own clocks. */
function fakeProbe(clock: FakeClock): ProcessProbe {
  const t0 = clock.now();
  return { rssBytes: () => 100 * 2 ** 20, cpuMicros: () => (1_000 + clock.now() - t0) * 250, monotonicMs: () => 1_000 + (clock.now() - t0) };
}

const account = (id: string, ok: boolean): AccountSnapshot => ({
  id, venue: 'paper', label: id, status: ok ? 'ok' : 'failed', consecutiveFailures: ok ? 0 : 1, ...(ok ? {} : { lastError: { code: 2002, message: 'connection refused' } }),
});
const snapshot = (accounts: AccountSnapshot[]): Snapshot => ({ seq: 1, takenAt: 0, accounts, prices: {}, markets: {}, funding: {} });
function tick(accounts: AccountSnapshot[], failedStages: string[] = []): TickOutcome {
  const stages = ['store-check', 'persist-metrics', 'alerts', 'dispatch'].map((name) => ({ name, ok: !failedStages.includes(name), ...(failedStages.includes(name) ? { error: new Error(`${name} broke`) } : {}) }));
  return { ok: true, snapshot: snapshot(accounts), stages, result: { seq: 1, ms: 40, accounts: accounts.length, failed: accounts.filter((a) => a.status !== 'ok').length, failedStages } };
}

function model(clock = new FakeClock()): { ops: OpsModel; clock: FakeClock } {
  return { ops: new OpsModel({ now: () => clock.now(), probe: fakeProbe(clock), tickIntervalMs: 15_000, discord: true }), clock };
}
const status = (ops: OpsModel, name: string) => ops.health.all().find((s) => s.name === name)!;

describe('service health', () => {
  it('idle until started and reporting; off when not used here', () => {
    const { ops } = model();
    expect(ops.health.all().map((s) => [s.name, s.status])).toEqual([
      ['sync', 'idle'], ['alerts', 'idle'], ['outbox', 'idle'], ['discord', 'idle'], ['scheduler', 'idle'], ['store', 'idle'], ['http', 'off'],
    ]);
  });

  it('a tick beats sync, scheduler, store and alerts; failures count and degrade; an overdue heartbeat is down', () => {
    const { ops, clock } = model();
    ops.started();
    ops.recordTick(tick([account('a', true), account('b', true)]));
    expect(status(ops, 'sync')).toEqual({ name: 'sync', status: 'healthy', lastHeartbeat: clock.now(), errorCount: 0 });

    clock.advance(15_000);
    ops.recordTick(tick([account('a', true), account('b', false)], ['alerts']));
    expect(status(ops, 'sync')).toMatchObject({ status: 'degraded', errorCount: 1, lastHeartbeat: clock.now(), detail: '1 of 2 accounts failed', lastError: { message: 'b: 2002 connection refused' } });
    expect(status(ops, 'alerts')).toMatchObject({ status: 'degraded', errorCount: 1, lastHeartbeat: clock.now() - 15_000, detail: 'alerts: alerts broke' });
    expect(status(ops, 'store')).toMatchObject({ status: 'healthy', lastHeartbeat: clock.now() });

    clock.advance(15_000);
    ops.recordTick(tick([account('a', false), account('b', false)], ['store-check', 'persist-metrics']));
    expect(status(ops, 'sync')).toMatchObject({ status: 'down', errorCount: 3, detail: 'all 2 accounts failed' });
    expect(status(ops, 'store')).toMatchObject({ status: 'down', errorCount: 2 });
    expect(isHealthyTick(tick([account('a', false), account('b', false)]))).toBe(false);
    expect(isHealthyTick(tick([account('a', true), account('b', false)]))).toBe(true);
    expect(isHealthyTick(tick([account('a', true)], ['dispatch']))).toBe(false);
    expect(isHealthyTick({ ok: false, ms: 3, error: new Error('x') })).toBe(false);

    // No tick for more than max(3 intervals, 1 min): the tick services are down, whatever they last said.
    clock.advance(60_001);
    expect(status(ops, 'scheduler')).toMatchObject({ status: 'down', detail: 'no heartbeat for 60s' });
    // A wall clock stepped back is never "overdue".
    clock.advance(-3_600_000);
    expect(status(ops, 'scheduler').status).toBe('healthy');
  });

  it('the outbox from dispatcher passes; Discord from its connection and REST calls', () => {
    const { ops } = model();
    ops.started();
    const pass = { sent: 1, retried: 0, dead: 0, waiting: 0, paused: 0, skipped: 0, found: 0, fenced: 0 };
    ops.recordDispatch(pass);
    expect(status(ops, 'outbox')).toMatchObject({ status: 'healthy', errorCount: 0 });
    ops.recordDispatch({ ...pass, sent: 0, retried: 2 });
    expect(status(ops, 'outbox')).toMatchObject({ status: 'degraded', errorCount: 2, detail: '2 to retry, 0 dropped' });
    ops.recordDispatch(undefined, new Error('database is locked'));
    expect(status(ops, 'outbox')).toMatchObject({ status: 'degraded', errorCount: 3, lastError: { message: 'dispatch failed: database is locked' } });

    expect(status(ops, 'discord').status).toBe('idle');
    ops.discordUp();
    expect(status(ops, 'discord')).toMatchObject({ status: 'healthy', detail: 'connected' });
    ops.recordDiscordRest({ method: 'POST', status: 429, seconds: 0.1 });
    ops.recordDiscordRest({ method: 'POST', status: 503, seconds: 0.2 });
    expect(status(ops, 'discord')).toMatchObject({ status: 'healthy', errorCount: 1 });
    ops.discordDown('gateway disconnected (close code 1006)');
    ops.recordDiscordRest({ method: 'GET', status: 200, seconds: 0.05 });
    expect(status(ops, 'discord')).toMatchObject({ status: 'down', errorCount: 2, detail: 'gateway disconnected (close code 1006)' });
  });
});

describe('performance counters', () => {
  it('counts events over the last minute in one-second slots', () => {
    const w = new MinuteWindow();
    w.add(1_000);
    w.add(1_500);
    w.add(30_000);
    expect(w.count(30_000)).toBe(3);
    expect(w.count(60_999)).toBe(3);
    expect(w.count(61_000)).toBe(1);
    w.add(120_000, 5);
    expect(w.count(120_000)).toBe(5);
  });

  it('average response, operations per second, ticks per minute; memory and CPU from one sample', async () => {
    const { ops, clock } = model();
    ops.recordOperation({ kind: 'command', name: 'status', seconds: 0.002 });
    ops.recordOperation({ kind: 'api', name: 'GET /api/v1/risk/alerts', seconds: 0.004 });
    ops.recordTick(tick([account('a', true)]));
    clock.advance(10_000);
    ops.recordTick(tick([account('a', true)]));
    const s = await buildSystemStatus({ ops, instance: 'i-1', snapshot: () => snapshot([account('a', true)]), totalAccounts: 1, openAlerts: async () => [{ type: 'sync', severity: 'WARN' }] });
    expect(s.performance).toEqual({ avgResponseTime: 3, operationsPerSecond: 2 / 60, memoryUsage: 100, cpuUsage: 25, ticksPerMinute: 2, totalTicks: 2 });
    expect(s).toMatchObject({ status: 'healthy', uptime: 10, totalOperations: 2, activeAccounts: 1, instance: { id: 'i-1', role: 'single' }, leader: null });
    expect(s.alerts).toEqual({ total: 1, bySeverity: { INFO: 0, WARN: 1, CRITICAL: 0 }, byTypeAndSeverity: [{ type: 'sync', severity: 'WARN', count: 1 }] });
    // Within SAMPLE_EVERY_MS the same sample answers (what /status and a scrape right after both show).
    const first = ops.performance.processSample();
    clock.advance(SAMPLE_EVERY_MS - 1);
    expect(ops.performance.processSample()).toBe(first);
    clock.advance(1);
    expect(ops.performance.processSample()).not.toBe(first);
  });
});

describe('feeds off their primary', () => {
  it('lists symbols served by a backup feed and symbols no feed serves; /status says so', async () => {
    const feed = (name: string, ok: boolean) => ({ name, state: ok ? ('healthy' as const) : ('failing' as const), ok, reason: ok ? 'ok' : 'stale', errorCount: ok ? 0 : 3, consecutiveErrors: ok ? 0 : 3 });
    const feeds: SymbolFeeds[] = [
      { symbol: 'BTC', primary: 'pacifica', active: 'binance', activeReason: 'failover from pacifica: stale', feeds: [feed('pacifica', false), feed('binance', true)] },
      { symbol: 'ETH', primary: 'pacifica', active: 'pacifica', activeReason: 'primary', feeds: [feed('pacifica', true)] },
      { symbol: 'SOL', primary: 'aster', activeReason: 'every feed failing', feeds: [feed('aster', false)] },
    ];
    expect(feedsOffPrimary(feeds)).toEqual({ onBackup: [{ symbol: 'BTC', active: 'binance', primary: 'pacifica', reason: 'failover from pacifica: stale' }], noFeed: ['SOL'] });
    const { ops } = model();
    const s = await buildSystemStatus({ ops, instance: 'i-1', snapshot: () => undefined, totalAccounts: 0, openAlerts: () => Promise.reject(new Error('database is locked')), feeds: () => feeds });
    expect(systemLines(s)).toEqual([
      'System STARTING · uptime 0s · 0 of 0 accounts synced',
      'Performance: avg response 0.00 ms over 0 commands and API requests (0.00/s) · ticks 0/min (0 total) · memory 100.0 MB · CPU 25.0%',
      'Open alerts: unknown (the store did not answer)',
      'Feeds on backup: BTC on binance (primary pacifica), SOL on no feed',
    ]);
  });
});
