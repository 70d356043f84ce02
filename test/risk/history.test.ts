import { afterEach, describe, expect, it } from 'vitest';
import { computeRisk } from '../../src/core/risk/compute-risk.js';
import { METRIC, PORTFOLIO_SCOPE, retention, toMetricSamples } from '../../src/core/risk/history.js';
import type { RiskHistory } from '../../src/core/risk/ports.js';
import type { MetricPoint, MetricSample, MetricsStore } from '../../src/core/ports/store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { account, DAY, HOUR, LEVELS, pos, snapshot, T0 } from './fixtures.js';

const STEP = 15_000; // one tick
const PER_HOUR = HOUR / STEP; // 240 samples

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

function open(): SqliteStore {
  store = SqliteStore.open(':memory:');
  return store;
}

/**
 * RiskHistory over what the metrics store holds for these accounts and symbols in [from, to]: read with
 * `range` (async), then served in memory, each series filtered to the span asked for.
 */
async function readStoreHistory(metrics: MetricsStore, accounts: readonly string[], symbols: readonly string[], from: number, to: number): Promise<RiskHistory> {
  const read = async (metric: string, scopes: readonly string[]): Promise<Map<string, MetricPoint[]>> =>
    new Map(await Promise.all(scopes.map(async (scope) => [scope, await metrics.range(metric, scope, from, to)] as const)));
  const equity = await read(METRIC.equity, accounts);
  const portfolio = (await read(METRIC.portfolioEquity, [PORTFOLIO_SCOPE])).get(PORTFOLIO_SCOPE) ?? [];
  const marks = await read(METRIC.mark, symbols);
  const within = (points: readonly MetricPoint[], f: number, t: number): MetricPoint[] => points.filter((p) => p.ts >= f && p.ts <= t);
  return {
    accountEquitySeries: (account, f, t) => within(equity.get(account) ?? [], f, t),
    portfolioEquitySeries: (f, t) => within(portfolio, f, t),
    priceSeries: (symbol, f, t) => within(marks.get(symbol) ?? [], f, t),
  };
}

describe('toMetricSamples', () => {
  const snap = snapshot(
    [
      account('a1', { equity: 1_000, available: 250, positions: [pos('BTC', 0.1, { entryPrice: 90 })] }),
      account('a2', { equity: 500, available: 500 }, { status: 'failed' }),
    ],
    { BTC: 100, ETH: 10 },
  );
  const cfg = { thresholds: LEVELS };

  it('writes account, symbol and portfolio series stamped computedAt', () => {
    const r = computeRisk(snap, { accountEquitySeries: () => [], portfolioEquitySeries: () => [], priceSeries: () => [] }, cfg, T0);
    const got = toMetricSamples(r, snap).map((s) => `${s.metric}/${s.scope}=${+s.value.toFixed(6)}`);
    // a2's last sync failed: no account series for it (old numbers under a new time), but it counts in the portfolio.
    // a1: used 750 → u 0.75; gross 0.1 × 100 = 10 → leverage 0.01; uPnL (100 − 90) × 0.1 = 1
    // No equity history: drawdown 0 (one point). Portfolio leverage: gross 10 / equity 1,500 = 0.006667.
    expect(got).toEqual([
      'equity/a1=1000', 'available/a1=250', 'utilization/a1=0.75', 'upnl/a1=1', 'leverage/a1=0.01', 'drawdown/a1=0',
      'netDelta/BTC=0.1', 'netUsd/BTC=10', 'deviation/BTC=1',
      'mark/BTC=100', 'mark/ETH=10',
      'portfolio.equity/portfolio=1500', 'portfolio.utilization/portfolio=0.5', 'portfolio.upnl/portfolio=1',
      'portfolio.leverage/portfolio=0.006667', 'portfolio.drawdown/portfolio=0',
    ]);
    expect(toMetricSamples(r, snap).every((s) => s.ts === T0)).toBe(true);
  });

  it('writes the drawdown /risk computed from the equity history (account and portfolio)', () => {
    // a1 peaked at 1,200 an hour ago and is 1,000 now: (1,200 − 1,000) / 1,200 = 0.166667.
    // The portfolio peaked at 2,000 and is 1,500 now (a2's last state counts): 500 / 2,000 = 0.25.
    const history = {
      accountEquitySeries: (account: string) => (account === 'a1' ? [{ ts: T0 - HOUR, value: 1_200 }] : []),
      portfolioEquitySeries: () => [{ ts: T0 - HOUR, value: 2_000 }],
      priceSeries: () => [],
    };
    const r = computeRisk(snap, history, cfg, T0);
    const got = toMetricSamples(r, snap).filter((s) => s.metric.endsWith('drawdown')).map((s) => `${s.metric}/${s.scope}=${+s.value.toFixed(6)}`);
    expect(got).toEqual(['drawdown/a1=0.166667', 'portfolio.drawdown/portfolio=0.25']);
  });

  it('skips the portfolio series while an account has no data yet', () => {
    const partial = snapshot([...snap.accounts, account('a3', undefined)], { BTC: 100 });
    const r = computeRisk(partial, { accountEquitySeries: () => [], portfolioEquitySeries: () => [], priceSeries: () => [] }, cfg, T0);
    expect(toMetricSamples(r, partial).filter((s) => s.scope === PORTFOLIO_SCOPE)).toEqual([]);
  });
});

describe('risk history read from the metrics store', () => {
  it('feeds drawdown and VaR from what earlier ticks persisted', async () => {
    const s = open();
    // Each tick reads the history the earlier ticks persisted (everything up to its own time).
    const history = (now: number): Promise<RiskHistory> => readStoreHistory(s.metrics, ['a1'], ['BTC'], 0, now);
    const cfg = { thresholds: LEVELS };
    // Three ticks 12 h apart. a1 equity 100 → 120 → 80; BTC 100 → 101 → 100 (net 1 BTC long, unhedged).
    const ticks = [
      { equity: 100, mark: 100 },
      { equity: 120, mark: 101 },
      { equity: 80, mark: 100 },
    ];
    let last = computeRisk(snapshot([]), await history(T0), cfg, T0);
    for (const [i, t] of ticks.entries()) {
      const snap = snapshot([account('a1', { equity: t.equity, available: t.equity, positions: [pos('BTC', 1, { entryPrice: 100 })] })], { BTC: t.mark });
      const now = T0 + i * 12 * HOUR;
      last = computeRisk(snap, await history(now), cfg, now);
      await s.metrics.append(toMetricSamples(last, snap));
    }
    // Drawdown over the 1-day window [T0, T0 + 24 h]: (120 − 80) / 120
    expect(last.accounts[0]?.maxDrawdown).toBeCloseTo(1 / 3, 12);
    expect(last.portfolio.maxDrawdown).toBeCloseTo(1 / 3, 12);
    // The third mark is this tick's own (computeRisk appends the current mark, as it does equity).
    // σ_daily = 2 · ln 1.01 (see portfolio test), |netUsd| = 1 × 100 → var = 1.645 × 0.0199007 × 100 = 3.27366
    expect(last.portfolio.var95).toBeCloseTo(1.645 * 2 * Math.log(1.01) * 100, 9);
    expect((await history(T0 + DAY)).priceSeries('BTC', T0, T0 + DAY).map((p) => p.value)).toEqual([100, 101, 100]);
  });
});

describe('retention over the real SQLite store', () => {
  const RAW = DAY;
  const DOWNSAMPLED = 2 * DAY;

  /** Sample i (counted from T0) of three series: a ramp, a constant and a 0/10 square wave. */
  function hourOfSamples(hour: number): MetricSample[] {
    const out: MetricSample[] = [];
    for (let k = 0; k < PER_HOUR; k++) {
      const i = hour * PER_HOUR + k;
      const ts = T0 + i * STEP;
      out.push({ ts, metric: METRIC.equity, scope: 'a1', value: i });
      out.push({ ts, metric: METRIC.utilization, scope: 'a1', value: 7 });
      out.push({ ts, metric: METRIC.mark, scope: 'BTC', value: i % 2 === 0 ? 0 : 10 });
    }
    return out;
  }

  /** Appends `hours` of ticks from `fromHour`, compacting after each simulated hour as the scheduler would. */
  async function run(s: SqliteStore, fromHour: number, hours: number): Promise<number> {
    for (let h = fromHour; h < fromHour + hours; h++) {
      await s.metrics.append(hourOfSamples(h));
      await retention(s.metrics, T0 + (h + 1) * HOUR, RAW, DOWNSAMPLED);
    }
    return T0 + (fromHour + hours) * HOUR;
  }

  const rows = (s: SqliteStore, table: 'metrics_raw' | 'metrics_hourly') =>
    s.db.prepare(`SELECT MIN(ts) AS lo, MAX(ts) AS hi, COUNT(*) AS n FROM ${table}`).get() as { lo: number; hi: number; n: number };

  it('keeps raw rows within rawRetention, hourly rows beyond it, nothing past downsampledRetention, bounded count', async () => {
    const s = open();
    const now3 = await run(s, 0, 72); // 3 days at 15 s: 17 280 ticks × 3 series appended
    /*
     * now = T0 + 3 d. Raw kept: [now − 1 d, now) = 24 h × 240 = 5 760 per series.
     * Hourly kept: hours starting in [now − 2 d, now − 1 d) = 24 per series. Total 3 × (5 760 + 24) = 17 352.
     */
    const raw = rows(s, 'metrics_raw');
    const hourly = rows(s, 'metrics_hourly');
    expect(raw).toEqual({ lo: now3 - RAW, hi: now3 - STEP, n: 3 * 5_760 });
    expect(hourly).toEqual({ lo: now3 - DOWNSAMPLED, hi: now3 - RAW - HOUR, n: 3 * 24 });
    const count3 = await s.metrics.count();
    expect(count3).toBe(17_352);

    /*
     * Hour 29 (T0 + 29 h, kept as an hourly row) holds samples i = 29 × 240 … 29 × 240 + 239 = 6 960 … 7 199:
     * ramp avg = (6 960 + 7 199) / 2 = 7 079.5, min 6 960, max 7 199, n 240;
     * constant: 7 / 7 / 7; square wave (120 zeros, 120 tens): avg 5, min 0, max 10.
     */
    const hour29 = s.db
      .prepare('SELECT metric, scope, avg, min, max, n FROM metrics_hourly WHERE ts = ? ORDER BY metric, scope')
      .all(T0 + 29 * HOUR);
    expect(hour29).toEqual([
      { metric: 'equity', scope: 'a1', avg: 7_079.5, min: 6_960, max: 7_199, n: 240 },
      { metric: 'mark', scope: 'BTC', avg: 5, min: 0, max: 10, n: 240 },
      { metric: 'utilization', scope: 'a1', avg: 7, min: 7, max: 7, n: 240 },
    ]);

    // range() merges hourly averages (older) with raw rows (newer), oldest first.
    const series = await s.metrics.range(METRIC.equity, 'a1', T0 + 47 * HOUR, T0 + 48 * HOUR + 30_000);
    expect(series).toEqual([
      { ts: T0 + 47 * HOUR, value: 47 * PER_HOUR + 119.5 },
      { ts: T0 + 48 * HOUR, value: 48 * PER_HOUR },
      { ts: T0 + 48 * HOUR + STEP, value: 48 * PER_HOUR + 1 },
      { ts: T0 + 48 * HOUR + 2 * STEP, value: 48 * PER_HOUR + 2 },
    ]);

    // Seven more days of appending + compacting: the row count stays where it was.
    const now10 = await run(s, 72, 7 * 24);
    expect(await s.metrics.count()).toBeLessThanOrEqual(count3 + 3 * 2);
    expect(rows(s, 'metrics_raw').lo).toBe(now10 - RAW);
    expect(rows(s, 'metrics_hourly').lo).toBe(now10 - DOWNSAMPLED);
  });

  it('keeps at most one extra hour of raw rows when now is not on the hour', async () => {
    const s = open();
    await run(s, 0, 30);
    const now = T0 + 30 * HOUR + 30 * 60_000; // half past
    await retention(s.metrics, now, RAW, DOWNSAMPLED);
    const raw = rows(s, 'metrics_raw');
    expect(raw.lo).toBe(T0 + 6 * HOUR); // floor(now − 1 d) to the hour: 30.5 h − 24 h = 6.5 h → 6 h
    expect(raw.lo).toBeGreaterThanOrEqual(now - RAW - HOUR);
  });
});
