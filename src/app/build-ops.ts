import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../core/clock.js';
import type { Engine } from '../core/engine.js';
import type { LeadershipStatus } from '../core/leadership/leader-elector.js';
import { DeadMansSwitch } from '../core/ops/dead-mans-switch.js';
import { OpsModel } from '../core/ops/ops-model.js';
import type { ProcessProbe } from '../core/ops/performance.js';
import { buildSystemStatus, readiness, type Readiness, type SystemStatus, type SystemStatusSources } from '../core/ops/system-status.js';
import type { Store } from '../core/ports/store.js';
import { heartbeatPing } from '../metrics/heartbeat-ping.js';
import { nodeProcessProbe } from '../metrics/process-probe.js';
import type { AppMetrics } from '../metrics/prometheus.js';

/** The ops model, before the engine exists (the engine reports every tick to it). */
export function createOpsModel(config: AppConfig, deps: { clock: Clock; probe?: ProcessProbe; discord: boolean }): OpsModel {
  return new OpsModel({ now: () => deps.clock.now(), probe: deps.probe ?? nodeProcessProbe, tickIntervalMs: config.schedule.tickInterval, discord: deps.discord });
}

export interface OpsViews {
  metrics: AppMetrics;
  /** What `/status` shows and `GET /api/v1/system/status` answers. */
  system(): Promise<SystemStatus>;
  /** `/readyz`. */
  readiness(): Promise<Readiness>;
  /** The app leads from now: the tick services are expected, and the dead-man's switch pings. */
  start(): void;
  /** Waits (briefly) for a heartbeat ping in flight. */
  stop(): Promise<void>;
}

/**
 * What `app.metrics` is when the process serves no `/metrics` (`createApp(…, { metrics: false })`): nothing
 * can read a registry there, so prom-client is not even loaded. Rendering says so instead of answering
 * with an empty exposition.
 */
const METRICS_OFF: AppMetrics = {
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
  render: () => Promise.reject(new Error('metrics are off in this process: it serves no HTTP (createApp with metrics: false)')),
  heartbeat: () => undefined,
};

/**
 * Everything that reads the ops model: the system status, readiness, /metrics, the dead-man's switch.
 * The Prometheus registry (and prom-client) is loaded only when `metrics` is not false.
 */
export async function buildOpsViews(deps: {
  config: AppConfig;
  ops: OpsModel;
  engine: Engine;
  store: Store;
  logger: Logger;
  leadership?: () => LeadershipStatus;
  metrics?: boolean;
}): Promise<OpsViews> {
  const { config, ops, engine, store } = deps;
  const sources: SystemStatusSources = {
    ops,
    instance: config.instanceId,
    leadership: deps.leadership,
    snapshot: () => engine.snapshot(),
    totalAccounts: config.accounts.length,
    openAlerts: () => store.alerts.active(),
    // The feeds as the last tick left them (failover and failback happen in ticks): the symbols the
    // book holds or the config names, without re-ranking every quoted symbol on each read.
    feeds: () => engine.snapshot()?.feeds ?? [],
  };
  const metrics = deps.metrics === false ? METRICS_OFF : (await import('../metrics/prometheus.js')).createMetrics({ ...sources, risk: () => engine.risk(), outbox: store.outbox });
  const hb = config.heartbeat;
  const deadMan = hb.url
    ? new DeadMansSwitch({ ping: heartbeatPing(hb.url, hb.timeout), logger: deps.logger.child({ job: 'heartbeat' }), onResult: (ok) => metrics.heartbeat(ok) })
    : undefined;
  return {
    metrics,
    system: () => buildSystemStatus(sources),
    readiness: () => readiness({ ...sources, pingStore: () => store.ping() }),
    start() {
      ops.started();
      if (deadMan) ops.observe({ tick: (o) => deadMan.afterTick(o) });
    },
    async stop() {
      await deadMan?.whenIdle();
    },
  };
}
