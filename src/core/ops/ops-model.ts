import type { TickOutcome } from '../engine.js';
import type { DispatchResult } from '../outbox/dispatcher.js';
import { PerformanceCounters, type ProcessProbe } from './performance.js';
import { ServiceHealth, type ReportedState, type ServiceName } from './service-health.js';

/** One Discord REST call: status 0 when no answer came (network error, timeout). */
export interface DiscordRestSample {
  method: string;
  status: number;
  seconds: number;
}

export interface OperationSample {
  /** `command`: a slash or console command; `api`: an HTTP API request. */
  kind: 'command' | 'api';
  /** The command name, or the API route (`GET /api/v1/risk/alerts`). */
  name: string;
  seconds: number;
}

export interface HttpRequestSample {
  method: string;
  /** The route pattern, not the URL (`/api/v1/risk/metrics/:accountId`). */
  route: string;
  status: number;
  seconds: number;
}

/** Told of every event the model records (the Prometheus metrics, the dead-man's switch). */
export interface OpsObserver {
  tick?(outcome: TickOutcome): void;
  operation?(op: OperationSample): void;
  httpRequest?(r: HttpRequestSample): void;
  discordRest?(sample: DiscordRestSample): void;
}

/** Which service a tick stage belongs to (the outbox reports through the dispatcher itself). */
const STAGE_SERVICE: Readonly<Record<string, { service: ServiceName; failState: ReportedState }>> = {
  'store-check': { service: 'store', failState: 'down' },
  'persist-metrics': { service: 'store', failState: 'degraded' },
  alerts: { service: 'alerts', failState: 'degraded' },
};

/** A heartbeat older than this many tick intervals (and at least a minute) makes a tick service `down`. */
const STALE_TICKS = 3;
const MIN_STALE_MS = 60_000;

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The one model of the running process that `/status`, `GET /api/v1/system/status` and `/metrics` read:
 * the tick, the outbox dispatcher, the Discord connector, the scheduler and the HTTP server report to it,
 * and it keeps service health (heartbeats, error counts) and performance counters on an injected clock.
 */
export class OpsModel {
  readonly health: ServiceHealth;
  readonly performance: PerformanceCounters;
  readonly startedAt: number;
  private readonly observers: OpsObserver[] = [];
  private discordConnected = false;
  private httpAddress = '';

  constructor(private readonly deps: { now: () => number; probe: ProcessProbe; tickIntervalMs: number; discord: boolean }) {
    this.health = new ServiceHealth(deps.now);
    this.performance = new PerformanceCounters({ now: deps.now, probe: deps.probe });
    this.startedAt = deps.now();
    for (const s of ['sync', 'alerts', 'outbox', 'scheduler', 'store'] as const) this.health.setMode(s, 'idle');
    if (deps.discord) this.health.setMode('discord', 'idle');
  }

  now(): number {
    return this.deps.now();
  }

  /** Whether this instance posts to Discord (readiness waits for the connection). */
  get discordExpected(): boolean {
    return this.deps.discord;
  }

  get isDiscordConnected(): boolean {
    return this.discordConnected;
  }

  observe(o: OpsObserver): () => void {
    this.observers.push(o);
    return () => {
      const i = this.observers.indexOf(o);
      if (i >= 0) this.observers.splice(i, 1);
    };
  }

  /** The engine, scheduler and dispatcher run from now (this instance leads, or runs alone). */
  started(): void {
    const stale = Math.max(STALE_TICKS * this.deps.tickIntervalMs, MIN_STALE_MS);
    for (const s of ['sync', 'alerts', 'outbox', 'scheduler', 'store'] as const) this.health.run(s, stale);
    if (this.deps.discord) this.health.run('discord');
  }

  recordTick(outcome: TickOutcome): void {
    const h = this.health;
    this.performance.recordTick();
    if (!outcome.ok) {
      h.error('scheduler', `tick failed: ${messageOf(outcome.error)}`, { state: 'degraded' });
    } else {
      h.beat('scheduler');
      this.recordSync(outcome);
      const failures = new Map<ServiceName, { count: number; state: ReportedState; message: string }>();
      const ran = new Set<ServiceName>();
      for (const stage of outcome.stages) {
        const to = STAGE_SERVICE[stage.name];
        if (!to) continue;
        ran.add(to.service);
        if (stage.ok) continue;
        const f = failures.get(to.service);
        const state = f?.state === 'down' ? 'down' : to.failState;
        failures.set(to.service, { count: (f?.count ?? 0) + 1, state, message: `${stage.name}: ${messageOf(stage.error)}` });
      }
      for (const service of ran) {
        const f = failures.get(service);
        if (f) h.error(service, f.message, { count: f.count, state: f.state });
        else h.beat(service);
      }
    }
    this.notify((o) => o.tick?.(outcome));
  }

  private recordSync(outcome: Extract<TickOutcome, { ok: true }>): void {
    const accounts = outcome.snapshot.accounts;
    const failed = accounts.filter((a) => a.status !== 'ok');
    if (failed.length === 0) {
      this.health.beat('sync');
      return;
    }
    const all = failed.length === accounts.length;
    this.health.beat('sync', all ? 'down' : 'degraded', all ? `all ${accounts.length} accounts failed` : `${failed.length} of ${accounts.length} accounts failed`);
    const first = failed[0]!;
    this.health.error('sync', `${first.id}: ${first.lastError ? `${first.lastError.code} ${first.lastError.message}` : 'not synced'}`, { count: failed.length });
  }

  /** One outbox dispatcher pass, or the error that stopped it. */
  recordDispatch(result: DispatchResult | undefined, err?: unknown): void {
    const h = this.health;
    if (!result) {
      h.error('outbox', `dispatch failed: ${messageOf(err)}`, { state: 'degraded' });
      return;
    }
    const failed = result.retried + result.dead;
    if (result.fenced > 0) h.beat('outbox', 'degraded', 'sends refused: this instance does not hold the leader lease');
    else if (failed > 0) h.beat('outbox', 'degraded', `${result.retried} to retry, ${result.dead} dropped`);
    else if (result.paused > 0 && result.sent === 0) h.beat('outbox', 'degraded', 'waiting for the sink to accept again');
    else h.beat('outbox');
    if (failed > 0) h.error('outbox', `${failed} deliveries failed`, { count: failed });
  }

  /** A command or API request answered in `seconds`. */
  recordOperation(op: OperationSample): void {
    this.performance.recordOperation(op.seconds);
    this.notify((o) => o.operation?.(op));
  }

  httpListening(address: string): void {
    this.httpAddress = `listening on ${address}`;
    this.health.run('http');
    this.health.beat('http', 'healthy', this.httpAddress);
  }

  /** A request came in: the server is alive (a scrape of /metrics sees its own heartbeat). */
  httpRequestStarted(): void {
    this.health.beat('http', 'healthy', this.httpAddress);
  }

  recordHttpRequest(r: HttpRequestSample): void {
    if (r.status >= 500) this.health.error('http', `${r.method} ${r.route} answered ${r.status}`);
    this.notify((o) => o.httpRequest?.(r));
  }

  discordUp(): void {
    this.discordConnected = true;
    this.health.beat('discord', 'healthy', 'connected');
  }

  discordDown(reason: string): void {
    this.discordConnected = false;
    this.health.error('discord', reason, { state: 'down' });
  }

  recordDiscordRest(sample: DiscordRestSample): void {
    if (sample.status === 0 || sample.status >= 500) this.health.error('discord', sample.status === 0 ? `${sample.method}: no answer` : `${sample.method}: HTTP ${sample.status}`);
    else if (this.discordConnected && sample.status !== 429) this.health.beat('discord', 'healthy', 'connected');
    this.notify((o) => o.discordRest?.(sample));
  }

  /** An observer that throws never breaks the part that reported. */
  private notify(call: (o: OpsObserver) => void): void {
    for (const o of this.observers) {
      try {
        call(o);
      } catch {
        // Metrics and the heartbeat are best-effort: the tick, the command, the request already happened.
      }
    }
  }
}
