import type { App } from '../src/app/app.js';
import type { MetricSample } from '../src/core/ports/store.js';
import { METRIC, PORTFOLIO_SCOPE } from '../src/core/risk/history.js';
import { BENCH_SYMBOLS, TICK_MS } from './app-fixture.js';

const DAY = 86_400_000;

/**
 * What `/history` and `/audit` read, as a bot has it after a day: 24 h of 15-s samples (5,760 per series)
 * of one account's five series (`account`), the portfolio's five, and the deviation and net delta of every
 * bench symbol (50 series, 288,000 samples); and `auditRows` audit entries. Written through the store
 * ports, before `now`.
 */
export async function seedDeskReads(app: App, now: number, opts: { account: string; auditRows: number }): Promise<{ samples: number }> {
  const series: { metric: string; scope: string; value: (k: number) => number }[] = [
    { metric: METRIC.utilization, scope: opts.account, value: (k) => 0.6 + 0.05 * Math.sin(k / 240) },
    { metric: METRIC.equity, scope: opts.account, value: (k) => 40_000 + 200 * Math.sin(k / 360) },
    { metric: METRIC.leverage, scope: opts.account, value: () => 1.5 },
    { metric: METRIC.upnl, scope: opts.account, value: (k) => 150 * Math.sin(k / 120) },
    { metric: METRIC.drawdown, scope: opts.account, value: (k) => 0.01 * (k % 480) / 480 },
    { metric: METRIC.portfolioUtilization, scope: PORTFOLIO_SCOPE, value: () => 0.55 },
    { metric: METRIC.portfolioEquity, scope: PORTFOLIO_SCOPE, value: (k) => 4e7 + 1e4 * Math.sin(k / 500) },
    { metric: METRIC.portfolioLeverage, scope: PORTFOLIO_SCOPE, value: () => 1.5 },
    { metric: METRIC.portfolioUpnl, scope: PORTFOLIO_SCOPE, value: (k) => 1e4 * Math.sin(k / 200) },
    { metric: METRIC.portfolioDrawdown, scope: PORTFOLIO_SCOPE, value: () => 0.002 },
    ...BENCH_SYMBOLS.flatMap((s) => [
      { metric: METRIC.deviation, scope: s, value: (k: number) => 0.01 + 0.01 * Math.abs(Math.sin(k / 300)) },
      { metric: METRIC.netDelta, scope: s, value: (k: number) => 0.1 * Math.sin(k / 300) },
    ]),
  ];
  const ticks = DAY / TICK_MS;
  const first = now - ticks * TICK_MS;
  let batch: MetricSample[] = [];
  let samples = 0;
  for (let k = 0; k < ticks; k++) {
    const ts = first + k * TICK_MS;
    for (const s of series) batch.push({ ts, metric: s.metric, scope: s.scope, value: s.value(k) });
    if (batch.length >= 10_000 || k === ticks - 1) {
      await app.store.metrics.append(batch);
      samples += batch.length;
      batch = [];
    }
  }
  for (let i = 0; i < opts.auditRows; i++) {
    await app.store.audit.append({
      at: now - (opts.auditRows - i) * 60_000, actorId: `u${i % 7}`, actorName: `trader${i % 7}`, source: 'discord:1/2',
      action: (['ack', 'resolve', 'silence', 'failover', 'sync'] as const)[i % 5]!, target: `k${i}`, outcome: i % 11 === 0 ? 'refused' : 'done', detail: 'seeded for the bench',
    });
  }
  return { samples };
}
