import { readFileSync } from 'node:fs';
import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startInProcess, type InProcessApp } from '../reliability/in-process-app.js';
import { SCENARIO } from './http-fixture.js';

/** docs/grafana-dashboard.json and docs/prometheus-rules.yml only use metrics that /metrics exposes. */
let t: InProcessApp;
let exposed: Set<string>;
beforeAll(async () => {
  t = await startInProcess({ config: SCENARIO, patch: (y) => y.replace('tickInterval: 1s', 'tickInterval: 6h') });
  exposed = new Set();
  for (const f of parsePrometheus(await t.app.metrics.render())) {
    exposed.add(f.name);
    if (f.type === 'HISTOGRAM') for (const s of ['_bucket', '_sum', '_count']) exposed.add(`${f.name}${s}`);
  }
});
afterAll(async () => {
  await t?.close();
});

/** Metric names in a PromQL expression: identifiers followed by `{`, `[`, `)` or a space, minus functions and keywords. */
function metricNames(expr: string): string[] {
  const names = expr.match(/\b(delta_ops_[a-z0-9_]+|process_[a-z0-9_]+|nodejs_[a-z0-9_]+)\b/g) ?? [];
  return [...new Set(names)];
}

describe('monitoring docs', () => {
  it('the Grafana dashboard is valid JSON whose every query uses exposed metrics', () => {
    const dash = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8')) as { uid: string; panels: { type: string; targets?: { expr: string }[] }[] };
    expect(dash.uid).toBe('delta-ops');
    const exprs = dash.panels.flatMap((p) => p.targets?.map((x) => x.expr) ?? []);
    expect(exprs.length).toBeGreaterThan(20);
    const used = new Set(exprs.flatMap(metricNames));
    for (const name of used) expect(exposed, name).toContain(name);
    for (const required of ['delta_ops_tick_duration_seconds_bucket', 'delta_ops_account_syncs_total', 'delta_ops_account_data_age_seconds', 'delta_ops_symbol_deviation_ratio', 'delta_ops_account_utilization_ratio', 'delta_ops_alerts_active', 'delta_ops_outbox_pending', 'delta_ops_outbox_oldest_pending_age_seconds', 'delta_ops_discord_rest_duration_seconds_bucket', 'delta_ops_discord_rate_limited_total', 'delta_ops_command_duration_seconds_bucket']) {
      expect(used, required).toContain(required);
    }
  });

  it('the Prometheus rules say when delta-ops is down, and use exposed metrics', () => {
    const rules = parseYaml(readFileSync('docs/prometheus-rules.yml', 'utf8')) as { groups: { name: string; rules: { alert: string; expr: string; for?: string; labels?: Record<string, string> }[] }[] };
    const all = rules.groups.flatMap((g) => g.rules);
    const down = all.find((r) => r.alert === 'DeltaOpsDown');
    expect(down).toMatchObject({ for: '2m', labels: { severity: 'critical' } });
    expect(down?.expr).toContain('up{job="delta-ops"}');
    expect(down?.expr).toContain('absent(');
    for (const r of all) for (const name of metricNames(r.expr)) expect(exposed, `${r.alert}: ${name}`).toContain(name);
  });
});
