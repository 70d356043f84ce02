import parsePrometheus, { type PromFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { age, pct } from '../../src/present/format.js';
import { duration, fmt } from '../../src/present/system-view.js';
import type { View } from '../../src/present/view.js';
import { startHttp, type HttpFixture } from './http-fixture.js';

/*
 * /metrics, read by a Prometheus text-format parser, against what /status shows at the same moment (the
 * FakeClock does not move between the two reads, so the process sample is the same one). The scenario
 * book with acc-2's sync failing from tick 3: the sync service degraded with errors, acc-2's data aging.
 */
let f: HttpFixture;
let families: PromFamily[];
let view: View;

beforeAll(async () => {
  f = await startHttp({ patch: (y) => y.replace('    seed: 1\n', '    seed: 1\n    timeline: [{ tick: 3, account: acc-2, fail: true }]\n') });
  for (let i = 0; i < 3; i++) await f.t.tick(15_000);
  // Three commands and two API requests: five operations.
  await f.t.run('risk', undefined);
  await f.t.run('help', undefined);
  await f.t.run('delta', 'plan', { symbol: 'BTC' });
  expect((await f.get('/api/v1/risk/alerts')).status).toBe(200);
  expect((await f.get('/api/v1/risk/metrics/acc-1')).status).toBe(200);
  f.clock.advance(2 * 3_600_000 + 5 * 60_000);

  const scraped = await f.get('/metrics');
  expect(scraped.status).toBe(200);
  families = parsePrometheus(scraped.text);
  view = await f.t.run('status', undefined);
});
afterAll(async () => {
  await f?.close();
});

function samples(name: string): { labels: Record<string, string>; value: number }[] {
  const family = families.find((x) => x.name === name);
  if (!family) throw new Error(`no metric ${name}`);
  return family.metrics.map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) }));
}
function value(name: string, labels: Record<string, string> = {}): number {
  const s = samples(name).find((m) => Object.entries(labels).every(([k, v]) => m.labels[k] === v));
  if (!s) throw new Error(`no sample ${name}${JSON.stringify(labels)}`);
  return s.value;
}
const lines = (): string => (view.lines ?? []).join('\n');
const table = (title: string): string[][] => view.tables?.find((t) => t.title === title)?.rows ?? [];

describe('/metrics equals /status', () => {
  it('parses as the Prometheus text format, with the families the issue asks for and the default process metrics', () => {
    const names = families.map((x) => x.name);
    for (const n of [
      'delta_ops_tick_duration_seconds', 'delta_ops_account_syncs_total', 'delta_ops_account_data_age_seconds', 'delta_ops_symbol_deviation_ratio',
      'delta_ops_account_utilization_ratio', 'delta_ops_alerts_active', 'delta_ops_outbox_pending', 'delta_ops_outbox_oldest_pending_age_seconds',
      'delta_ops_discord_rest_duration_seconds', 'delta_ops_discord_rate_limited_total', 'delta_ops_command_duration_seconds',
      'process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds',
    ]) expect(names, n).toContain(n);
    expect(families.find((x) => x.name === 'delta_ops_tick_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(value('delta_ops_account_syncs_total', { account: 'acc-2', outcome: 'failed' })).toBe(2);
    expect(value('delta_ops_account_syncs_total', { account: 'acc-2', outcome: 'ok' })).toBe(2);
  });

  it('uptime, operations, average response time, ticks, memory and CPU', () => {
    expect(lines()).toContain(`uptime ${duration(value('delta_ops_uptime_seconds'))}`);
    expect(duration(value('delta_ops_uptime_seconds'))).toBe('2h 5m');
    const ops = value('delta_ops_operations_total');
    expect(ops).toBe(5);
    const avgMs = (value('delta_ops_operation_seconds_total') / ops) * 1000;
    expect(lines()).toContain(`Performance: avg response ${fmt.ms(avgMs)} over ${ops} commands and API requests`);
    expect(lines()).toContain(`ticks 0/min (${value('delta_ops_ticks_total')} total)`);
    expect(value('delta_ops_ticks_total')).toBe(4);
    expect(lines()).toContain(`memory ${fmt.mb(value('delta_ops_memory_usage_bytes') / 2 ** 20)}`);
    expect(lines()).toContain(`CPU ${fmt.cpu(value('delta_ops_cpu_usage_ratio') * 100)}`);
  });

  it('each service: status, last heartbeat and error count', () => {
    const rows = table('Services');
    expect(rows.map((r) => r[0])).toEqual(['sync', 'alerts', 'outbox', 'discord', 'scheduler', 'store', 'http']);
    const now = f.clock.now();
    for (const [name, status, last, errors] of rows) {
      const current = samples('delta_ops_service_status').filter((s) => s.labels['service'] === name && s.value === 1);
      expect(current.map((s) => s.labels['status']), name).toEqual([status]);
      expect(String(value('delta_ops_service_errors_total', { service: name! })), name).toBe(errors);
      const beat = samples('delta_ops_service_last_heartbeat_seconds').find((s) => s.labels['service'] === name);
      expect(beat ? age(now - beat.value * 1000) : '—', name).toBe(last);
    }
    expect(rows.find((r) => r[0] === 'sync')).toEqual(['sync', 'degraded', '2h ago', '2', '1 of 3 accounts failed']);
  });

  it('open alerts by severity, and the symbols on a backup feed', () => {
    const by: Record<string, number> = { CRITICAL: 0, WARN: 0, INFO: 0 };
    for (const s of samples('delta_ops_alerts_active')) by[s.labels['severity']!]! += s.value;
    expect(by['CRITICAL']! + by['WARN']!).toBeGreaterThan(0);
    expect(lines()).toContain(`Open alerts: ${by['CRITICAL']} CRITICAL · ${by['WARN']} WARN · ${by['INFO']} INFO`);
    expect(samples('delta_ops_feed_on_backup').map((s) => s.value)).toEqual([0, 0]);
    expect(lines()).toContain('Feeds: every symbol on its primary feed');
  });

  it('deviation per symbol, utilization and data age per account, synced accounts, instance', () => {
    for (const [symbol, , , , deviation] of table('Net delta')) expect(pct(value('delta_ops_symbol_deviation_ratio', { symbol: symbol! })), symbol).toBe(deviation);
    for (const [account, , , , util, , sync] of table('Accounts')) {
      expect(pct(value('delta_ops_account_utilization_ratio', { account: account! }), 1), account).toBe(util);
      if (account === 'acc-2') expect(sync).toBe(`failed (last ok ${age(value('delta_ops_account_data_age_seconds', { account: 'acc-2' }) * 1000)})`);
    }
    const ok = samples('delta_ops_account_sync_ok').reduce((n, s) => n + s.value, 0);
    expect(lines()).toContain(`${ok} ok, ${3 - ok} failed`);
    expect(lines()).toContain(`${ok} of 3 accounts synced`);
    expect(value('delta_ops_info', { role: 'single' })).toBe(1);
    expect(lines()).toMatch(/Instance \S+ \(single instance\)/);
  });

  it('per-command latency histograms count each answer', async () => {
    const text = (await f.get('/metrics')).text;
    expect(text).toMatch(/^delta_ops_command_duration_seconds_count\{command="risk"\} 1$/m);
    expect(text).toMatch(/^delta_ops_command_duration_seconds_count\{command="status"\} 1$/m);
    expect(text).toMatch(/^delta_ops_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/risk\/metrics\/:accountId",status="200"\} 1$/m);
  });
});
