import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/discord/render-view.js';
import type { HistoryReport } from '../../src/core/queries/history.js';
import { buildPositions } from '../../src/core/queries/positions.js';
import { historyView } from '../../src/present/history-view.js';
import { POSITIONS_FILE, POSITIONS_SHOWN, positionsView } from '../../src/present/positions-view.js';
import { renderText } from '../../src/present/render-text.js';
import { syncView } from '../../src/present/sync-view.js';
import { limitViolations } from '../discord/limits-check.js';
import { account, pos, snapshot } from '../risk/fixtures.js';

describe('positionsView', () => {
  it('a large book: the 20 largest in the message, every position in the attached file, within Discord\'s limits', () => {
    // 60 accounts × 2 positions: account i holds BTC (i + 1) / 100 at 50,000 (notional 500 (i + 1)) and
    // ETH −(i + 1) / 10 at 2,000 (200 (i + 1)). Gross: 700 × (1 + … + 60) = 700 × 1,830 = 1,281,000.
    const accounts = Array.from({ length: 60 }, (_, i) => account(`acct-${String(i).padStart(2, '0')}`, { equity: 100_000, positions: [pos('BTC', (i + 1) / 100), pos('ETH', -(i + 1) / 10)] }));
    const view = positionsView(buildPositions(snapshot(accounts, { BTC: 50_000, ETH: 2_000 })), {});
    expect(view.lines?.[0]).toMatch(/^120 positions · gross notional \$1,281,000\.00/);
    expect(view.lines).toContain(`The ${POSITIONS_SHOWN} largest by notional are listed; all 120 are in ${POSITIONS_FILE}.`);
    expect(view.tables?.map((t) => [t.rows.length, t.attachment])).toEqual([[20, undefined], [120, POSITIONS_FILE]]);
    // Largest first: acct-59 BTC 0.6 × 50,000 = 30,000 (its ETH −6 × 2,000 = −12,000 comes later).
    expect(view.tables?.[0]?.rows[0]?.slice(0, 3)).toEqual(['acct-59', 'paper', 'BTC']);
    const m = renderView(view);
    expect(limitViolations(m)).toEqual([]);
    expect(m.files.map((f) => f.name)).toEqual([POSITIONS_FILE]);
    expect(m.files[0]!.data.toString('utf8').split('\n').filter((l) => l.startsWith('acct-'))).toHaveLength(120);
  });

  it('no positions: says so, no table', () => {
    const view = positionsView(buildPositions(snapshot([account('a', { equity: 1 }), account('b', undefined)])), { account: 'a' });
    expect(view).toMatchObject({ title: 'Positions — a', lines: ['No open positions.', 'No data yet (never synced): b.'], tables: [] });
  });
});

describe('historyView', () => {
  const base: HistoryReport = { account: 'acc-1', from: 0, to: 3 * 86_400_000, series: [], times: [], values: [], samples: 0 };

  it('no samples: a line, no table rows, no chart', () => {
    const view = historyView({ ...base, series: [{ metric: 'equity', scope: 'acc-1', points: [] }], values: [[]] }, { rawRetentionMs: 48 * 3_600_000, since: '3d' });
    expect(view.lines?.[0]).toBe('No samples for acc-1 since 1970-01-01T00:00:00Z.');
    expect(view.lines).toContain('Samples older than 48h are hourly averages (the store keeps every tick for 48h).');
    expect(view.chart).toBeUndefined();
    expect(view.tables?.[0]?.rows).toEqual([]);
  });

  it('the console prints the table and leaves the chart out', () => {
    const pts = [{ ts: 60_000, value: 0.5 }, { ts: 120_000, value: 0.625 }];
    const view = historyView({ ...base, to: 120_000, series: [{ metric: 'utilization', scope: 'acc-1', points: pts }], times: [120_000, 60_000], values: [[0.625, 0.5]], samples: 2 }, { rawRetentionMs: 48 * 3_600_000, since: '2m' });
    expect(view.chart).toMatchObject({ file: 'history-acc-1.png', panels: [{ unit: 'percent', series: [{ label: 'acc-1', points: pts }] }] });
    const text = renderText(view);
    expect(text).toMatch(/1970-01-01T00:02:00Z\s+62\.50%\n1970-01-01T00:01:00Z\s+50\.00%/);
    expect(text).not.toContain('png');
  });
});

describe('historyView, thinned', () => {
  it('says how the rows were chosen; the chart keeps every point', () => {
    const points = Array.from({ length: 9 }, (_, k) => ({ ts: k * 15 * 60_000, value: 0.5 + k / 100 }));
    const r: HistoryReport = { account: 'acc-1', from: 0, to: 2 * 3_600_000, series: [{ metric: 'utilization', scope: 'acc-1', points }], times: [120, 75, 45, 15].map((m) => m * 60_000), values: [[0.58, 0.55, 0.53, 0.51]], samples: 9, slices: 4 };
    const view = historyView(r, { rawRetentionMs: 48 * 3_600_000, since: '2h' });
    expect(view.lines?.[0]).toBe('9 sample times from 1970-01-01T00:00:00Z to 1970-01-01T02:00:00Z; the table shows the last of each 1/4 of the window (4 rows), newest first.');
    expect(view.tables?.[0]?.rows.map((x) => x[1])).toEqual(['58.00%', '55.00%', '53.00%', '51.00%']);
    expect(view.chart?.panels[0]?.series[0]?.points).toHaveLength(9);
    // More samples than the store's slices: not counted, still charted.
    const many = historyView({ ...r, samples: undefined }, { rawRetentionMs: 48 * 3_600_000, since: '2h' });
    expect(many.lines?.[0]).toBe('Samples from 1970-01-01T00:00:00Z to 1970-01-01T02:00:00Z; the table shows the last of each 1/4 of the window (4 rows), newest first.');
    expect(many.chart?.panels[0]?.series[0]?.points).toHaveLength(9);
  });
});

describe('syncView', () => {
  it('a large book is counted, failures listed with their code', () => {
    const synced = Array.from({ length: 1_000 }, (_, i) => `acct-${i}`);
    const v = syncView({ seq: 12, synced, failed: [{ account: 'bn-1', code: 2001, message: 'timed out after 10s' }], unknown: [], ms: 1234.4 });
    expect(v).toMatchObject({ title: 'Sync: 1,000 synced, 1 failed', tone: 'warn' });
    expect(v.lines).toEqual(['Tick #12 took 1,234 ms (a sync already running is joined, not repeated).', 'Synced: 1,000 accounts']);
    expect(v.tables?.[0]?.rows).toEqual([['bn-1', '2001', 'timed out after 10s']]);
  });
});
