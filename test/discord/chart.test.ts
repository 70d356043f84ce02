import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartFileName, renderSummaryChart, renderViewChart } from '../../src/discord/chart.js';
import { summaryChartData } from '../../src/discord/chart-data.js';
import type { SummaryPayload } from '../../src/core/outbox/payload.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { parsePng } from './png.js';

const HOUR = 3_600_000;
const now = Date.UTC(2026, 0, 2, 9);

function payload(accounts: string[], symbols: string[]): SummaryPayload {
  return {
    type: 'summary',
    scheduledFor: now,
    timezone: 'UTC',
    summary: {
      scheduledFor: now,
      generatedAt: now,
      windowMs: 24 * HOUR,
      target: 0.75,
      tolerance: 0.1,
      accounts: accounts.map((account) => ({ account, utilization: {}, samples: 0 })),
      portfolio: { utilization: {} },
      symbols: symbols.map((symbol) => ({ symbol, tolerance: 0.05, limit: 0.1 })),
      alerts: { fired: 0, acknowledged: 0, resolved: 0, openCritical: [] },
    },
  };
}

describe('daily summary chart', () => {
  const store = SqliteStore.open(':memory:');
  afterAll(() => store.close());
  // 25 h of quarter-hourly samples: the first hour is outside the window.
  beforeAll(async () => {
    for (let i = 0; i <= 100; i++) {
      const ts = now - 25 * HOUR + i * 15 * 60_000;
      await store.metrics.append([
        { ts, metric: 'utilization', scope: 'acc-1', value: 0.6 },
        { ts, metric: 'utilization', scope: 'acc-2', value: 0.25 + i / 1000 },
        { ts, metric: 'deviation', scope: 'BTC', value: 0.2 },
        { ts, metric: 'netDelta', scope: 'BTC', value: 0.2 },
      ]);
    }
  });

  it('reads utilization per account and deviation per symbol over the summary window', async () => {
    const data = await summaryChartData(store.metrics, payload(['acc-1', 'acc-2'], ['BTC', 'ETH']));
    expect(data.from).toBe(now - 24 * HOUR);
    expect(data.to).toBe(now);
    expect(data.utilization.map((s) => [s.label, s.points.length])).toEqual([['acc-1', 97], ['acc-2', 97]]);
    expect(data.deviation.map((s) => [s.label, s.points.length])).toEqual([['BTC', 97], ['ETH', 0]]);
    expect(data.utilization[0]?.points[0]).toEqual({ ts: now - 24 * HOUR, value: 0.6 });
    expect(data.utilizationTarget).toBe(0.75);
  });

  it('renders a valid 1000×600 PNG (signature, IHDR, CRCs, IDAT size, IEND)', async () => {
    const png = await renderSummaryChart(await summaryChartData(store.metrics, payload(['acc-1', 'acc-2'], ['BTC'])));
    expect(parsePng(png)).toMatchObject({ width: 1000, height: 600, bitDepth: 8 });
    const empty = await renderSummaryChart(await summaryChartData(store.metrics, payload([], [])));
    expect(parsePng(empty)).toMatchObject({ width: 1000, height: 600 });
    expect(empty.equals(png)).toBe(false);
  });

  it('the PNG checker rejects a corrupted file', async () => {
    const png = await renderSummaryChart(await summaryChartData(store.metrics, payload(['acc-1'], [])));
    const bad = Buffer.from(png);
    bad[20] = bad[20]! ^ 0xff;
    expect(() => parsePng(bad)).toThrow(/bad CRC in IHDR/);
    expect(() => parsePng(Buffer.from('GIF89a'))).toThrow(/signature/);
  });
});

describe('a view\'s chart (/history)', () => {
  const from = now - 6 * HOUR;
  const points = (f: (k: number) => number) => Array.from({ length: 25 }, (_, k) => ({ ts: from + k * 15 * 60_000, value: f(k) }));

  it('one 260 px panel per unit, money and negatives included: a valid PNG', async () => {
    const png = await renderViewChart({
      file: 'history-acc-1.png', from, to: now,
      panels: [
        { title: 'Utilization', unit: 'percent', series: [{ label: 'acc-1', points: points((k) => 0.5 + k / 100) }] },
        { title: 'Equity', unit: 'usd', series: [{ label: 'acc-1', points: points((k) => 20_000 - 100 * k) }] },
        { title: 'uPnL', unit: 'usd', series: [{ label: 'acc-1', points: points((k) => 50 * (k - 12)) }] },
        { title: 'Net delta', unit: 'number', series: [{ label: 'BTC', points: points(() => 0) }, { label: 'ETH', points: [] }] },
      ],
    });
    expect(parsePng(png)).toMatchObject({ width: 1000, height: 4 * 260, bitDepth: 8 });
    const empty = await renderViewChart({ file: 'x', from, to: now, panels: [] });
    expect(parsePng(empty)).toMatchObject({ width: 1000, height: 260 });
  });

  it('file names are safe to reference as attachment://', () => {
    expect(chartFileName('history-acc-1.png')).toBe('history-acc-1.png');
    expect(chartFileName('history-desk a/ü.png')).toBe('history-desk-a-.png');
    expect(chartFileName('..')).toBe('chart.png');
  });
});
