import { afterEach, describe, expect, test } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { summaryPayloadSchema } from '../../src/core/outbox/payload.js';
import { buildDailySummary, type SummaryDeps } from '../../src/core/summary/build-summary.js';
import { createDailySummaryJob, summaryMarker } from '../../src/core/summary/daily-job.js';
import { renderText } from '../../src/present/render-text.js';
import { localTime, summaryView } from '../../src/present/summary-view.js';
import type { NewAlert } from '../../src/core/ports/alerts.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger } from '../alerts/fixtures.js';

const H = 3_600_000;
const NOW = Date.UTC(2026, 2, 30, 7, 0, 0); // 09:00 in Berlin (CEST)

let store: SqliteStore;
afterEach(() => store?.close());

function alert(over: Partial<NewAlert>): NewAlert {
  return {
    fingerprint: `utilization|${over.account ?? 'acc-1'}|`, type: 'utilization', account: 'acc-1', severity: 'WARN', state: 'firing', summary: 'utilization 90.0% > 85.0%',
    value: 0.9, threshold: 0.85, sources: ['acc-1'], startsAt: NOW - 10 * H, updatedAt: NOW - 10 * H, clearTicks: 0, ...over,
  };
}

async function seed(): Promise<SummaryDeps> {
  store = SqliteStore.open(':memory:');
  const s = (metric: string, scope: string, points: [number, number][]): Promise<void> => store.metrics.append(points.map(([hAgo, value]) => ({ ts: NOW - hAgo * H, metric, scope, value })));
  await s('utilization', 'acc-1', [[25, 0.99], [23, 0.7], [12, 0.9], [1, 0.8]]);
  await s('utilization', 'acc-2', [[20, 0.5], [2, 0.6]]);
  await s('equity', 'acc-1', [[23, 1000], [1, 1100]]);
  await s('upnl', 'acc-1', [[23, 10], [1, -15]]);
  await s('equity', 'acc-2', [[20, 2000], [2, 1950]]);
  await s('portfolio.utilization', 'portfolio', [[23, 0.6], [12, 0.7], [1, 0.65]]);
  await s('portfolio.equity', 'portfolio', [[23, 3000], [1, 3050]]);
  await s('portfolio.upnl', 'portfolio', [[23, 10], [1, -20]]);
  await s('deviation', 'BTC', [[30, 0.5], [20, 0.02], [6, 0.12], [1, 0.03]]);
  // Alerts: one fired and resolved in the window, one acknowledged CRITICAL still open, one fired 2 days ago.
  await store.alerts.insert(alert({ firedAt: NOW - 10 * H, state: 'resolved', resolvedAt: NOW - 9 * H, resolvedBy: 'auto' }));
  await store.alerts.insert(alert({ fingerprint: 'liquidation|acc-2|BTC', type: 'liquidation', account: 'acc-2', symbol: 'BTC', severity: 'CRITICAL', summary: 'BTC 4.0% from liquidation (< 5.0%)', startsAt: NOW - 3 * H, firedAt: NOW - 3 * H, ackedAt: NOW - 2 * H, ackedBy: 'ann' }));
  await store.alerts.insert(alert({ fingerprint: 'drawdown|acc-1|', type: 'drawdown', severity: 'CRITICAL', startsAt: NOW - 50 * H, firedAt: NOW - 50 * H, state: 'resolved', resolvedAt: NOW - 40 * H }));
  return {
    metrics: store.metrics,
    alerts: store.alerts,
    accounts: [{ id: 'acc-1', label: 'Binance main' }, { id: 'acc-2' }],
    symbols: ['BTC', 'ETH'],
    symbolLimits: () => ({ tolerance: 0.05, maxDeviation: 0.1 }),
    targetUtilization: 0.75,
    tolerance: 0.1,
    planRebalance: () => ({ transfers: [{ from: 'acc-2', to: 'acc-1', amount: 120.5 }], externalDeposit: 0 }),
  };
}

describe('buildDailySummary', () => {
  test('utilization now and over 24 h, against the target; equity and uPnL change; deviation peaks; alert counts', async () => {
    const s = await buildDailySummary(await seed(), NOW);
    expect(s.accounts[0]).toMatchObject({ account: 'acc-1', label: 'Binance main', samples: 3, equity: 1100, equityChange: 100, upnl: -15, upnlChange: -25, lastSampleAt: NOW - H, withinTolerance: true });
    expect(s.accounts[0]?.utilization.now).toBe(0.8);
    expect(s.accounts[0]?.utilization.avg).toBeCloseTo(0.8, 12);
    expect([s.accounts[0]?.utilization.min, s.accounts[0]?.utilization.max]).toEqual([0.7, 0.9]);
    expect(s.accounts[0]?.deviationPercent).toBeCloseTo(0.0667, 4);
    expect(s.accounts[1]).toMatchObject({ account: 'acc-2', equityChange: -50, samples: 2, withinTolerance: false });
    expect(s.accounts[1]?.deviationPercent).toBeCloseTo(-0.2, 12);
    expect(s.portfolio.utilization).toMatchObject({ now: 0.65, min: 0.6, max: 0.7 });
    expect(s.portfolio.utilization.avg).toBeCloseTo(0.65, 12);
    expect(s.portfolio).toMatchObject({ equity: 3050, equityChange: 50, upnl: -20, upnlChange: -30 });
    expect(s.symbols).toEqual([
      { symbol: 'BTC', maxDeviation: 0.12, maxAt: NOW - 6 * H, deviation: 0.03, tolerance: 0.05, limit: 0.1 },
      { symbol: 'ETH', maxDeviation: undefined, maxAt: undefined, deviation: undefined, tolerance: 0.05, limit: 0.1 },
    ]);
    expect(s.rebalance).toEqual({ transfers: [{ from: 'acc-2', to: 'acc-1', amount: 120.5 }], externalDeposit: 0 });
    expect(s.alerts).toMatchObject({ fired: 2, acknowledged: 1, resolved: 1 });
    expect(s.alerts.openCritical).toEqual([{ shortId: expect.stringMatching(/^[0-9a-z]{4}$/), type: 'liquidation', account: 'acc-2', symbol: 'BTC', summary: 'BTC 4.0% from liquidation (< 5.0%)', since: NOW - 3 * H, acked: true }]);
  });

  test('renders as a View with local time, tables and the alert line', async () => {
    const s = await buildDailySummary(await seed(), NOW);
    const view = summaryView(s, 'Europe/Berlin');
    expect(view.title).toBe('Daily utilization summary · 2026-03-30 09:00 Europe/Berlin');
    expect(view.tone).toBe('critical');
    expect(view.lines).toEqual([
      'Portfolio utilization 65.0% (weighted) · 24h avg 65.0%, min 60.0%, max 70.0% · target 75%',
      'Equity $3,050 (+$50.00 in 24h) · uPnL -$20 (-$30.00)',
      'Alerts in 24h: 2 fired, 1 acknowledged, 1 resolved · 1 CRITICAL still open',
    ]);
    expect(view.tables?.map((t) => t.title)).toEqual([
      'Utilization per account (target 75% ± 10% of it)',
      'Suggested transfers (dry run: nothing is moved)',
      'Delta deviation per symbol (24h)',
      'CRITICAL alerts still open',
    ]);
    expect(view.tables?.[0]?.rows[1]).toEqual(['acc-2', '60.0%', '55.0%', '50.0%', '60.0%', '-20.0% !', '$1,950', '-$50.00', '—']);
    expect(renderText(view)).toContain('acc-2  acc-1  $120.50');
    expect(localTime(Date.UTC(2026, 9, 26, 8, 0), 'Europe/Berlin')).toBe('2026-10-26 09:00 Europe/Berlin');
  });
});

describe('daily summary job', () => {
  test('stores one summary per scheduled time, with the marker, in one transaction', async () => {
    const deps = await seed();
    const clock = new FakeClock(NOW);
    let enqueued = 0;
    const job = createDailySummaryJob({ store, build: (now, at) => buildDailySummary(deps, now, at), sinks: ['discord', 'console'], timezone: 'Europe/Berlin', clock, logger: silentLogger, onEnqueued: () => enqueued++ });
    expect(await job(NOW)).toBe(true);
    expect(await job(NOW)).toBe(false);
    expect(await job(NOW - 86_400_000)).toBe(false);
    expect(await summaryMarker(store.kv).get()).toBe(NOW);
    const rows = await store.outbox.list({ kind: 'summary' });
    expect(rows.map((r) => r.sink)).toEqual(['discord', 'console']);
    expect(summaryPayloadSchema.parse(rows[0]?.payload)).toMatchObject({ scheduledFor: NOW, timezone: 'Europe/Berlin', summary: { scheduledFor: NOW, generatedAt: NOW } });
    expect(enqueued).toBe(1);
    expect(await job(NOW + 86_400_000)).toBe(true);
    expect(await store.outbox.list({ kind: 'summary' })).toHaveLength(4);
  });
});
