import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../core/clock.js';
import { Engine, type TickOutcome, type TickStage } from '../core/engine.js';
import { computeRisk, MemoryRiskHistory, retention, toMetricSamples, type RiskConfig } from '../core/risk/index.js';
import { DEFAULT_VAR_WINDOW } from '../core/risk/ports.js';
import { syncAccounts } from '../core/sync/sync-accounts.js';
import type { Store } from '../core/ports/store.js';
import type { VenueAdapter } from '../core/ports/venue-adapter.js';
import { accountRef } from '../venues/registry.js';
import type { Snapshot, VenueId } from '../core/types.js';
import type { RiskReport } from '../core/risk/types.js';
import { actorFlagAuthorization, type AuthorizationPort } from '../core/alerts/authorization.js';
import { FeedControl, FeedManager, feedSettings } from '../core/feeds/index.js';
import { canonicalSymbol } from '../core/symbols.js';

export function riskConfig(cfg: AppConfig): RiskConfig {
  return { thresholds: cfg.thresholds, symbols: cfg.symbols, overrides: cfg.overrides };
}

/** How often (in ticks) old metric rows are folded and pruned. */
const RETENTION_EVERY_TICKS = 240;

/**
 * The engine with its standard stages: sync → risk → persist metrics (+ retention). Callers append
 * their own stages (alerts evaluate/dispatch) through `extraStages`.
 */
export function buildEngine(deps: {
  cfg: AppConfig;
  store: Store;
  adapters: ReadonlyMap<VenueId, VenueAdapter>;
  clock: Clock;
  logger: Logger;
  extraStages?: readonly { name: string; run: TickStage }[];
  /** Store nothing: the tick syncs and computes risk only (see AppDeps.readOnly). */
  readOnly?: boolean;
  /** The price-feed manager (see buildFeeds); one is made from `cfg.feeds` when not given. */
  feeds?: FeedManager;
  /** Told how every tick ended (the ops model). */
  onTick?: (outcome: TickOutcome) => void;
}): Engine {
  const { cfg, store, adapters, clock, logger } = deps;
  const feeds = deps.feeds ?? new FeedManager({ settings: feedSettings(cfg.feeds, [...adapters.keys()]), logger: logger.child({ job: 'feeds' }) });
  const rc = riskConfig(cfg);
  // The tick reads its history from memory, fed as samples are persisted (not a day of rows per account).
  const history = new MemoryRiskHistory({
    metrics: store.metrics,
    ...(store.drawdownBuckets ? { buckets: store.drawdownBuckets } : {}),
    drawdownWindowMs: cfg.thresholds.drawdown.window,
    varWindowMs: rc.varWindow ?? DEFAULT_VAR_WINDOW,
  });
  const accounts = cfg.accounts.map((a) => ({ ...accountRef(a), label: a.label }));
  const accountIds = accounts.map((a) => a.id);
  const watchSymbols = Object.keys(cfg.symbols).map((s) => canonicalSymbol(s).symbol);
  const now = (): number => clock.now();
  const persistStage = {
    name: 'persist-metrics',
    run: async (snapshot: Snapshot, risk: RiskReport): Promise<void> => {
      const samples = toMetricSamples(risk, snapshot);
      // Memory first (record does it before its first await): drawdown and VaR keep working while
      // the database is unreachable.
      await Promise.all([history.record(samples), store.metrics.append(samples)]);
      if (snapshot.seq % RETENTION_EVERY_TICKS === 0) await retention(store.metrics, now(), cfg.store.rawRetention, cfg.store.downsampledRetention);
    },
  };
  return new Engine({
    now,
    logger,
    onTick: deps.onTick,
    sync: (prev, seq) => syncAccounts({ adapters, accounts, concurrency: cfg.sync.concurrency, accountTimeoutMs: cfg.sync.accountTimeout, now, logger, feeds, watchSymbols }, prev, seq),
    computeRisk: async (snapshot) => {
      const symbols = [...new Set([...watchSymbols, ...Object.keys(snapshot.prices)])];
      try {
        await history.preload(accountIds, symbols, now());
      } catch (err) {
        // The database is unreachable: risk is computed from the history already in memory.
        logger.warn({ job: 'tick', stage: 'load-history', seq: snapshot.seq, err }, 'risk history not loaded from the store; using what is in memory');
      }
      return computeRisk(snapshot, history, rc, now());
    },
    stages: [
      // First: a database file deleted or replaced under us, or a database that stopped answering, is
      // said at every tick (the stages after it fail too, but would not say why).
      { name: 'store-check', run: () => store.ping() },
      ...(deps.readOnly ? [] : [persistStage]),
      ...(deps.extraStages ?? []),
    ],
  });
}

/**
 * The market-data feeds: the manager the sync reports to, and the admin control (manual failover,
 * audited in the alert side's audit log, pins kept in the kv store).
 */
export function buildFeeds(deps: {
  cfg: AppConfig;
  store: Store;
  adapters: ReadonlyMap<VenueId, VenueAdapter>;
  clock: Clock;
  logger: Logger;
  auth?: AuthorizationPort;
}): { manager: FeedManager; control: FeedControl } {
  const logger = deps.logger.child({ job: 'feeds' });
  const manager = new FeedManager({ settings: feedSettings(deps.cfg.feeds, [...deps.adapters.keys()]), logger });
  const control = new FeedControl({ manager, auth: deps.auth ?? actorFlagAuthorization, store: deps.store, now: () => deps.clock.now(), logger });
  return { manager, control };
}
