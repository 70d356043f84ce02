import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TickOutcome } from '../core/engine.js';
import type { SymbolFeeds } from '../core/feeds/types.js';
import type { LeadershipStatus } from '../core/leadership/leader-elector.js';
import type { OpsModel } from '../core/ops/ops-model.js';
import type { ServiceStatus } from '../core/ops/service-health.js';
import { countOpenAlerts, roleOf } from '../core/ops/system-status.js';
import type { AlertRecord, OutboxStore } from '../core/ports/alerts.js';
import type { RiskReport } from '../core/risk/types.js';
import type { Snapshot } from '../core/types.js';

/** What the metrics read; the same sources `/status` reads (src/core/ops). */
export interface MetricsSources {
  ops: OpsModel;
  instance: string;
  leadership?: () => LeadershipStatus;
  snapshot: () => Snapshot | undefined;
  risk: () => RiskReport | undefined;
  openAlerts: () => Promise<readonly Pick<AlertRecord, 'type' | 'severity'>[]>;
  outbox: Pick<OutboxStore, 'counts' | 'list'>;
  feeds?: () => readonly SymbolFeeds[];
}

export interface AppMetrics {
  contentType: string;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** A dead-man's-switch ping was accepted (true) or not. */
  heartbeat(ok: boolean): void;
}

const STATUSES: readonly ServiceStatus[] = ['healthy', 'degraded', 'down', 'idle', 'off'];
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * The `/metrics` registry of one app (never prom-client's global one, so tests run several apps). Values
 * that `/status` also shows are read from the ops model at scrape time; histograms are fed by the model's
 * observer as events happen.
 */
export function createMetrics(src: MetricsSources): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  const { ops } = src;
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'delta_ops_info',
    help: 'This instance and its role (leader, standby or single); always 1',
    labelNames: ['instance', 'role'],
    registers,
    collect() {
      this.reset();
      const l = src.leadership?.();
      this.set({ instance: l?.instance ?? src.instance, role: roleOf(l) }, 1);
    },
  });
  new Gauge({
    name: 'delta_ops_leader',
    help: '1 when this instance leads (or runs alone), 0 on a standby',
    registers,
    collect() {
      this.set(roleOf(src.leadership?.()) === 'standby' ? 0 : 1);
    },
  });
  new Gauge({ name: 'delta_ops_start_time_seconds', help: 'When the app started, Unix seconds', registers, collect() {
    this.set(ops.startedAt / 1000);
  } });
  new Gauge({ name: 'delta_ops_uptime_seconds', help: 'Seconds since the app started (as /status shows)', registers, collect() {
    this.set(Math.max(0, (ops.now() - ops.startedAt) / 1000));
  } });

  // Services: the same registry /status lists.
  new Gauge({
    name: 'delta_ops_service_status',
    help: 'Service status: 1 for the current status of each service, 0 for the others',
    labelNames: ['service', 'status'],
    registers,
    collect() {
      this.reset();
      for (const s of ops.health.all()) for (const st of STATUSES) this.set({ service: s.name, status: st }, s.status === st ? 1 : 0);
    },
  });
  new Counter({
    name: 'delta_ops_service_errors_total',
    help: 'Failures reported by each service since start',
    labelNames: ['service'],
    registers,
    collect() {
      this.reset();
      for (const s of ops.health.all()) this.inc({ service: s.name }, s.errorCount);
    },
  });
  new Gauge({
    name: 'delta_ops_service_last_heartbeat_seconds',
    help: 'Unix time of each service\'s last heartbeat',
    labelNames: ['service'],
    registers,
    collect() {
      this.reset();
      for (const s of ops.health.all()) if (s.lastHeartbeat !== null) this.set({ service: s.name }, s.lastHeartbeat / 1000);
    },
  });

  // Performance: the counters /status divides.
  new Counter({ name: 'delta_ops_operations_total', help: 'Commands and API requests answered', registers, collect() {
    this.reset();
    this.inc(ops.performance.view().totalOperations);
  } });
  new Counter({ name: 'delta_ops_operation_seconds_total', help: 'Time spent answering commands and API requests', registers, collect() {
    this.reset();
    this.inc(ops.performance.view().operationSeconds);
  } });
  new Counter({ name: 'delta_ops_ticks_total', help: 'Ticks finished (ok or failed)', registers, collect() {
    this.reset();
    this.inc(ops.performance.view().totalTicks);
  } });
  new Gauge({ name: 'delta_ops_memory_usage_bytes', help: 'Resident memory at the last process sample (as /status shows)', registers, collect() {
    this.set(ops.performance.processSample().rssBytes);
  } });
  new Gauge({ name: 'delta_ops_cpu_usage_ratio', help: 'CPU over the last process sample window, fraction of one core (as /status shows)', registers, collect() {
    this.set(ops.performance.processSample().cpuRatio);
  } });

  // The book, from the latest snapshot and risk report.
  new Gauge({
    name: 'delta_ops_account_sync_ok',
    help: '1 when the account\'s last sync succeeded, 0 when it failed or never ran',
    labelNames: ['venue', 'account'],
    registers,
    collect() {
      this.reset();
      for (const a of src.snapshot()?.accounts ?? []) this.set({ venue: a.venue, account: a.id }, a.status === 'ok' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'delta_ops_account_data_age_seconds',
    help: 'Age of the account\'s last good data (accounts never synced are absent)',
    labelNames: ['venue', 'account'],
    registers,
    collect() {
      this.reset();
      const now = ops.now();
      for (const a of src.snapshot()?.accounts ?? []) if (a.lastSuccessAt !== undefined) this.set({ venue: a.venue, account: a.id }, Math.max(0, (now - a.lastSuccessAt) / 1000));
    },
  });
  new Gauge({
    name: 'delta_ops_account_utilization_ratio',
    help: 'Utilization of each account: (equity - available) / equity',
    labelNames: ['venue', 'account'],
    registers,
    collect() {
      this.reset();
      for (const m of src.risk()?.accounts ?? []) this.set({ venue: m.venue, account: m.account }, m.utilization);
    },
  });
  new Gauge({
    name: 'delta_ops_symbol_deviation_ratio',
    help: 'Net-delta deviation of each symbol: |net - target| / hedge size',
    labelNames: ['symbol'],
    registers,
    collect() {
      this.reset();
      for (const d of src.risk()?.portfolio.deltas ?? []) this.set({ symbol: d.symbol }, d.deviation);
    },
  });
  new Gauge({
    name: 'delta_ops_symbol_net_delta_usd',
    help: 'Net delta of each symbol in USD (net size x mark)',
    labelNames: ['symbol'],
    registers,
    collect() {
      this.reset();
      for (const d of src.risk()?.portfolio.deltas ?? []) this.set({ symbol: d.symbol }, d.netUsd);
    },
  });
  new Gauge({ name: 'delta_ops_portfolio_utilization_ratio', help: 'Portfolio utilization: sum used / sum equity', registers, collect() {
    this.reset();
    const r = src.risk();
    if (r) this.set(r.portfolio.utilization);
  } });
  new Gauge({ name: 'delta_ops_portfolio_equity_usd', help: 'Total equity of every account with data', registers, collect() {
    this.reset();
    const r = src.risk();
    if (r) this.set(r.portfolio.totalEquity);
  } });
  new Gauge({
    name: 'delta_ops_feed_on_backup',
    help: '1 when a symbol is served by a feed other than its primary (or by none), else 0',
    labelNames: ['symbol'],
    registers,
    collect() {
      this.reset();
      for (const f of src.feeds?.() ?? []) this.set({ symbol: f.symbol }, f.active === f.primary ? 0 : 1);
    },
  });

  // From the store: every open alert, and the outbox.
  new Gauge({
    name: 'delta_ops_alerts_active',
    help: 'Active (pending or firing) alerts by type and severity',
    labelNames: ['type', 'severity'],
    registers,
    async collect() {
      const counts = await src.openAlerts().then(countOpenAlerts, () => undefined);
      this.reset();
      for (const p of counts?.byTypeAndSeverity ?? []) this.set({ type: p.type, severity: p.severity }, p.count);
    },
  });
  new Gauge({ name: 'delta_ops_outbox_pending', help: 'Notifications stored and not yet delivered', registers, async collect() {
    const counts = await src.outbox.counts().catch(() => undefined);
    this.reset();
    if (counts) this.set(counts.pending);
  } });
  new Gauge({ name: 'delta_ops_outbox_dead', help: 'Notifications given up on (permanent failure)', registers, async collect() {
    const counts = await src.outbox.counts().catch(() => undefined);
    this.reset();
    if (counts) this.set(counts.dead);
  } });
  new Gauge({ name: 'delta_ops_outbox_oldest_pending_age_seconds', help: 'Age of the oldest undelivered notification (0 when none)', registers, async collect() {
    const rows = await src.outbox.list({ status: 'pending', limit: 1 }).catch(() => undefined);
    this.reset();
    if (rows) this.set(rows[0] ? Math.max(0, (ops.now() - rows[0].createdAt) / 1000) : 0);
  } });

  // Histograms and event counters, fed as things happen.
  const tickDuration = new Histogram({ name: 'delta_ops_tick_duration_seconds', help: 'Duration of each tick (sync, risk, stages)', labelNames: ['outcome'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers });
  const syncs = new Counter({ name: 'delta_ops_account_syncs_total', help: 'Account syncs by outcome', labelNames: ['venue', 'account', 'outcome'], registers });
  const commandDuration = new Histogram({ name: 'delta_ops_command_duration_seconds', help: 'Time to answer each command', labelNames: ['command'], buckets: FAST_BUCKETS, registers });
  const httpDuration = new Histogram({ name: 'delta_ops_http_request_duration_seconds', help: 'HTTP requests by route pattern and status', labelNames: ['method', 'route', 'status'], buckets: FAST_BUCKETS, registers });
  const discordDuration = new Histogram({ name: 'delta_ops_discord_rest_duration_seconds', help: 'Discord REST calls by method and status (0: no answer)', labelNames: ['method', 'status'], buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
  const discord429 = new Counter({ name: 'delta_ops_discord_rate_limited_total', help: 'Discord REST answers with 429 (rate limited)', registers });
  const heartbeats = new Counter({ name: 'delta_ops_heartbeat_pings_total', help: 'Dead-man\'s-switch pings by outcome', labelNames: ['outcome'], registers });

  const onTick = (o: TickOutcome): void => {
    tickDuration.observe({ outcome: o.ok && o.result.failedStages.length === 0 ? 'ok' : 'failed' }, (o.ok ? o.result.ms : o.ms) / 1000);
    if (!o.ok) return;
    for (const a of o.snapshot.accounts) if (a.status !== 'never') syncs.inc({ venue: a.venue, account: a.id, outcome: a.status });
  };
  ops.observe({
    tick: onTick,
    operation: (op) => {
      if (op.kind === 'command') commandDuration.observe({ command: op.name }, op.seconds);
    },
    httpRequest: (r) => httpDuration.observe({ method: r.method, route: r.route, status: String(r.status) }, r.seconds),
    discordRest: (s) => {
      discordDuration.observe({ method: s.method, status: String(s.status) }, s.seconds);
      if (s.status === 429) discord429.inc();
    },
  });

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    heartbeat: (ok) => heartbeats.inc({ outcome: ok ? 'ok' : 'failed' }),
  };
}
