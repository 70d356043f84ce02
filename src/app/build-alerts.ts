import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import { actorFlagAuthorization, type AuthorizationPort } from '../core/alerts/authorization.js';
import { AlertEngine } from '../core/alerts/engine.js';
import type { PagingPolicy } from '../core/alerts/paging.js';
import { AlertService } from '../core/alerts/service.js';
import type { Clock } from '../core/clock.js';
import type { Engine } from '../core/engine.js';
import { utilizationPlanFromSnapshot } from '../core/queries/plans.js';
import { buildDailySummary } from '../core/summary/build-summary.js';
import { createDailySummaryJob } from '../core/summary/daily-job.js';
import type { Store } from '../core/ports/store.js';
import { canonicalSymbol } from '../core/symbols.js';
import { symbolLimits } from '../../commands/context.js';
import { cronCalendar } from './cron-calendar.js';

/** The configured paging policy, symbols in their canonical form (`BTC-PERP` matches the `BTC` alerts). */
export function pagingPolicy(alerts: AppConfig['alerts']): PagingPolicy {
  const canonical = <M extends { symbol?: string | undefined }>(m: M): M => (m.symbol === undefined ? m : { ...m, symbol: canonicalSymbol(m.symbol).symbol });
  return {
    escalation: alerts.escalation,
    routes: alerts.routes.map((r) => ({ ...r, match: canonical(r.match) })),
    notify: alerts.notify,
    maintenance: alerts.maintenance.map((w) => ({ ...w, match: canonical(w.match) })),
  };
}

export interface AlertParts {
  engine: AlertEngine;
  service: AlertService;
  /** Stores today's summary in the outbox (idempotent per scheduled time). */
  summaryJob: (scheduledFor: number) => Promise<boolean>;
}

/**
 * The alert side of the core: rules + lifecycle (AlertEngine), the actions (AlertService) and the daily
 * summary job. Notifications go to the outbox for every sink named in `sinkNames`; `wake` is called
 * whenever something was stored so the dispatcher delivers it without waiting for the next tick.
 */
export function buildAlerts(deps: {
  cfg: AppConfig;
  store: Store;
  engine: Engine;
  clock: Clock;
  logger: Logger;
  sinkNames: readonly string[];
  auth?: AuthorizationPort;
  wake: () => void;
}): AlertParts {
  const { cfg, store, clock, logger, sinkNames, wake } = deps;
  const paging = pagingPolicy(cfg.alerts);
  const alertEngine = new AlertEngine({
    store,
    rules: { thresholds: cfg.thresholds, overrides: cfg.overrides, symbols: cfg.symbols, tickIntervalMs: cfg.schedule.tickInterval },
    policy: { groupWaitMs: cfg.alerts.groupWait, repeatIntervalMs: cfg.alerts.repeatInterval, resolveAfterTicks: cfg.alerts.resolveAfterTicks },
    paging,
    calendar: cronCalendar,
    sinks: sinkNames,
    logger: logger.child({ job: 'alerts' }),
    onEnqueued: wake,
  });
  const service = new AlertService({ store, auth: deps.auth ?? actorFlagAuthorization, clock, logger: logger.child({ job: 'alerts' }), onEnqueued: wake, paging, calendar: cronCalendar });
  const heldSymbols = (): string[] => {
    const held = new Set(Object.keys(cfg.symbols));
    for (const a of deps.engine.snapshot()?.accounts ?? []) for (const p of a.state?.positions ?? []) held.add(p.symbol);
    return [...held].sort();
  };
  const build = (now: number, scheduledFor: number): ReturnType<typeof buildDailySummary> =>
    buildDailySummary(
      {
        metrics: store.metrics,
        alerts: store.alerts,
        accounts: cfg.accounts.map((a) => ({ id: a.id, label: a.label })),
        symbols: heldSymbols(),
        symbolLimits: symbolLimits(cfg),
        targetUtilization: cfg.utilization.target,
        tolerance: cfg.utilization.tolerance,
        planRebalance: () => {
          const snapshot = deps.engine.snapshot();
          if (!snapshot) return undefined;
          const plan = utilizationPlanFromSnapshot(snapshot, {
            targetUtilization: cfg.utilization.target,
            tolerance: cfg.utilization.tolerance,
            ...(cfg.utilization.maxRebalanceAmount !== undefined ? { maxRebalanceAmount: cfg.utilization.maxRebalanceAmount } : {}),
          });
          return { transfers: plan.transfers, externalDeposit: plan.totalExternalDeposits };
        },
      },
      now,
      scheduledFor,
    );
  const summaryJob = createDailySummaryJob({
    store,
    build,
    sinks: sinkNames,
    timezone: cfg.schedule.dailySummary.timezone,
    clock,
    logger: logger.child({ job: 'summary' }),
    onEnqueued: wake,
  });
  return { engine: alertEngine, service, summaryJob };
}
