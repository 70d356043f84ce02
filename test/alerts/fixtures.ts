import pino, { type Logger } from 'pino';
import { configSchema } from '../../src/config/schema.js';
import { AlertEngine } from '../../src/core/alerts/engine.js';
import type { LifecyclePolicy } from '../../src/core/alerts/lifecycle.js';
import type { CronCalendar } from '../../src/core/alerts/maintenance.js';
import type { PagingPolicy } from '../../src/core/alerts/paging.js';
import type { RuleConfig } from '../../src/core/alerts/rules/index.js';
import { AlertService } from '../../src/core/alerts/service.js';
import { actorFlagAuthorization, type AuthorizationPort } from '../../src/core/alerts/authorization.js';
import { FakeClock } from '../../src/core/clock.js';
import { Dispatcher } from '../../src/core/outbox/dispatcher.js';
import { RecordingSink } from '../../src/core/outbox/recording-sink.js';
import type { AccountMetrics, RiskReport, SymbolDelta } from '../../src/core/risk/types.js';
import type { AccountSnapshot, Position, Snapshot } from '../../src/core/types.js';
import type { Actor } from '../../src/core/ports/actor.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const TICK = 15_000;

export const silentLogger: Logger = pino({ level: 'silent' });

/** A logger whose JSON lines land in `lines`, to assert what was logged. */
export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

export const admin: Actor = { id: 'u-admin', name: 'ann', source: 'console', isAdmin: true };
export const member: Actor = { id: 'u-member', name: 'bob', source: 'discord:g1/c1', isAdmin: false };

export function appConfig(extra: Record<string, unknown> = {}) {
  return configSchema.parse({
    accounts: ['acc-1', 'acc-2', 'acc-3'].map((id) => ({ id, venue: 'paper', paper: { equity: 1000, available: 500 } })),
    symbols: { BTC: { tolerance: 0.05, maxDeviation: 0.1, maxPositionSize: 2 } },
    ...extra,
  });
}

export function ruleConfig(extra: Record<string, unknown> = {}): RuleConfig {
  const c = appConfig(extra);
  return { thresholds: c.thresholds, overrides: c.overrides, symbols: c.symbols, tickIntervalMs: c.schedule.tickInterval };
}

export interface AccountSpec {
  id: string;
  status?: AccountSnapshot['status'];
  lastSuccessAt?: number;
  failures?: number;
  positions?: Partial<Position>[];
  notices?: string[];
  hedger?: { used: number; cap: number };
}

export function snapshotOf(now: number, accounts: AccountSpec[], prices: Record<string, number> = { BTC: 60_000 }): Snapshot {
  return {
    seq: 1,
    takenAt: now,
    accounts: accounts.map((a) => ({
      id: a.id,
      venue: 'paper',
      label: a.id,
      status: a.status ?? 'ok',
      lastSuccessAt: a.lastSuccessAt ?? now,
      lastAttemptAt: now,
      consecutiveFailures: a.failures ?? 0,
      ...(a.status === 'failed' ? { lastError: { code: 2001, message: 'venue timeout' } } : {}),
      state: {
        balance: { equity: 1000, available: 500 },
        positions: (a.positions ?? []).map((p) => ({ symbol: 'BTC', venueSymbol: 'BTC-PERP', size: 1, entryPrice: 60_000, ...p })),
        ...(a.hedger ? { hedgerCapacity: a.hedger } : {}),
        ...(a.notices ? { notices: a.notices } : {}),
      },
    })),
    prices: Object.fromEntries(Object.entries(prices).map(([s, mark]) => [s, { symbol: s, mark, ts: now, source: 'paper' }])),
    markets: {},
    funding: {},
  };
}

export function metrics(account: string, m: Partial<AccountMetrics> = {}): AccountMetrics {
  return {
    account, venue: 'paper', equity: 1000, available: 500, used: 500, utilization: 0.5, leverage: 1, grossNotional: 1000,
    unrealizedPnl: 0, maxDrawdown: 0, riskLevel: 'low', stale: false, ...m,
  };
}

export function delta(symbol: string, deviation: number, accounts: string[] = ['acc-1', 'acc-2']): SymbolDelta {
  return { symbol, net: deviation, netUsd: deviation * 60_000, hedgeSize: 1, target: 0, deviation, longSize: 1, shortSize: 1 - deviation, accounts };
}

export function riskOf(now: number, accounts: AccountMetrics[], deltas: SymbolDelta[] = []): RiskReport {
  return {
    computedAt: now,
    accounts,
    portfolio: {
      totalEquity: 0, totalAvailable: 0, totalUsed: 0, utilization: 0, totalUnrealizedPnl: 0, grossNotional: 0, leverage: 0,
      deltas, maxDrawdown: 0, var95: 0, riskLevel: 'low',
    },
  };
}

/** Keys that are unique and readable in failures. */
export function counterKeys(): () => string {
  let n = 0;
  return () => `k${++n}`;
}

export interface Harness {
  clock: FakeClock;
  store: SqliteStore;
  sink: RecordingSink;
  engine: AlertEngine;
  dispatcher: Dispatcher;
  service: AlertService;
  /** Advance one tick, evaluate, dispatch. */
  tick(snapshot: (now: number) => Snapshot, risk: (now: number) => RiskReport): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  policy?: Partial<LifecyclePolicy>;
  maxAlertsPerMessage?: number;
  auth?: AuthorizationPort;
  rules?: RuleConfig;
  /** Routes, levels, escalation, windows (default: none). */
  paging?: Partial<PagingPolicy>;
  calendar?: CronCalendar;
  /** A SQLite file (to close and reopen it: a restart); default in memory. */
  storePath?: string;
  clock?: FakeClock;
  /** Keys go on from here (a restart must not reuse the keys of rows already stored). */
  newKey?: () => string;
}

export function harness(opts: HarnessOptions = {}): Harness {
  const clock = opts.clock ?? new FakeClock(T0);
  const store = SqliteStore.open(opts.storePath ?? ':memory:');
  const sink = new RecordingSink('test');
  const newKey = opts.newKey ?? counterKeys();
  const paging: PagingPolicy = { escalation: [], routes: [], notify: {}, maintenance: [], ...opts.paging };
  const dispatcher = new Dispatcher({ outbox: store.outbox, sinks: [sink], clock, logger: silentLogger, random: () => 0.5 });
  const engine = new AlertEngine({
    store,
    rules: opts.rules ?? ruleConfig(),
    policy: { groupWaitMs: 30_000, repeatIntervalMs: 4 * 3_600_000, resolveAfterTicks: 2, ...opts.policy },
    sinks: [sink.name],
    ...(opts.maxAlertsPerMessage !== undefined ? { maxAlertsPerMessage: opts.maxAlertsPerMessage } : {}),
    newKey,
    logger: silentLogger,
    paging,
    ...(opts.calendar ? { calendar: opts.calendar } : {}),
  });
  const service = new AlertService({ store, auth: opts.auth ?? actorFlagAuthorization, clock, logger: silentLogger, newKey, paging, ...(opts.calendar ? { calendar: opts.calendar } : {}) });
  return {
    clock,
    store,
    sink,
    engine,
    dispatcher,
    service,
    async tick(snapshot, risk) {
      clock.advance(TICK);
      const now = clock.now();
      await engine.evaluate(snapshot(now), risk(now), now);
      await dispatcher.dispatchDue(now);
    },
    close: () => store.close(),
  };
}
