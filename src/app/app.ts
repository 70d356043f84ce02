import type { Logger } from 'pino';
import { commands, type AppCommandContext } from '../../commands/index.js';
import type { AppConfig } from '../config/load-config.js';
import type { AuthorizationPort } from '../core/alerts/authorization.js';
import type { AlertService } from '../core/alerts/service.js';
import type { Clock } from '../core/clock.js';
import type { Engine } from '../core/engine.js';
import { feedHealth } from '../core/feeds/index.js';
import type { LeadershipStatus } from '../core/leadership/leader-elector.js';
import { syncNow } from '../core/on-demand-sync.js';
import { Dispatcher } from '../core/outbox/dispatcher.js';
import type { NotificationSink } from '../core/outbox/sink.js';
import type { SendFence } from '../core/ports/alerts.js';
import type { Store } from '../core/ports/store.js';
import { ReadModelStore, type SoleWriterTerm } from '../store/read-model/read-model-store.js';
import type { VenueAdapter } from '../core/ports/venue-adapter.js';
import { summaryMarker } from '../core/summary/daily-job.js';
import type { VenueId } from '../core/types.js';
import type { Command } from '../present/command.js';
import type { RefusalHook } from '../present/execute.js';
import { createAdapters } from '../venues/registry.js';
import { buildAlerts } from './build-alerts.js';
import { buildEngine, buildFeeds } from './build-core.js';
import { auditRefusals } from './refusal-audit.js';
import { buildOpsViews, createOpsModel } from './build-ops.js';
import type { FeedControl } from '../core/feeds/feed-control.js';
import type { FeedEvent } from '../core/feeds/types.js';
import type { OpsModel } from '../core/ops/ops-model.js';
import type { ProcessProbe } from '../core/ops/performance.js';
import type { Readiness, SystemStatus } from '../core/ops/system-status.js';
import { DISCORD_SINK_NAME } from '../discord/sink-name.js';
import type { AppMetrics } from '../metrics/prometheus.js';
import { timedCommands } from '../metrics/timed-commands.js';
import type { Scheduler } from './scheduler.js';

export interface App {
  config: AppConfig;
  engine: Engine;
  store: Store;
  alerts: AlertService;
  commands: readonly Command<AppCommandContext>[];
  ctx: AppCommandContext;
  logger: Logger;
  /** Audits refused admin commands; transports pass it to executeCommand. */
  onRefused: RefusalHook;
  /** Stores the daily summary for a scheduled time in the outbox (what the cron job runs). */
  sendSummary(scheduledFor: number): Promise<boolean>;
  /** Delivers due outbox rows now (no-op before start). */
  dispatchNow(): Promise<void>;
  /**
   * A sink is reachable again (Discord reconnected): pending rows are tried now instead of after the
   * backoff chosen while it was down (up to 5 min). No-op before start.
   */
  resumeDelivery(): void;
  /** Starts the scheduler (first tick at once) and the outbox dispatcher over `sinks`. */
  start(sinks: readonly NotificationSink[]): Promise<void>;
  /** Stops the schedules, waits briefly for a running tick, closes venues and the database. */
  stop(): Promise<void>;
  /** Service health and performance: what the tick, outbox, Discord, scheduler and HTTP server report to. */
  ops: OpsModel;
  /** This app's Prometheus registry (`/metrics`); rendering rejects when built with `metrics: false`. */
  metrics: AppMetrics;
  /** The system status `/status` shows and `GET /api/v1/system/status` answers (one model for both). */
  system(): Promise<SystemStatus>;
  /** `/readyz`: leading, first sync done, store answering, Discord connected when configured. */
  readiness(): Promise<Readiness>;
  /** Price feeds: status and the audited manual failover. */
  feeds: FeedControl;
  /** Recent changes of active feeds, oldest first. */
  feedEvents(): readonly FeedEvent[];
  /** Several replicas: this instance's role and the leader. */
  leadership?: () => LeadershipStatus;
}

export interface AppDeps {
  clock: Clock;
  logger: Logger;
  /** The opened store (src/store/open-store.ts). The app closes it in `stop`. */
  store: Store;
  /** Names of the sinks notifications are stored for; `start` must get a sink of each name. */
  sinkNames: readonly string[];
  /** Who may administer alerts; default: trust the actor flag the transport set. */
  auth?: AuthorizationPort;
  /** Several replicas: the leader's fence, checked by every outbox send (default: a single process). */
  fence?: () => SendFence | undefined;
  /** Several replicas: this instance's role and the leader, for /status. */
  leadership?: () => LeadershipStatus;
  /** Memory and CPU of the process, for /status and /metrics (default: this Node process). */
  probe?: ProcessProbe;
  /**
   * Reads only: the tick syncs and computes risk but stores nothing and raises no alerts (`--once`
   * beside a running bot on a shared database must not change its alerts).
   */
  readOnly?: boolean;
  /**
   * Build the Prometheus registry (default true). main.ts turns it off when this process serves no HTTP
   * (`--once`, the console or the Discord bot without `http.listen`): nothing could scrape it, and a start
   * then does not load prom-client.
   */
  metrics?: boolean;
}

/** The composition root: every dependency is built here and passed down. */
export async function createApp(config: AppConfig, deps: AppDeps): Promise<App> {
  const { clock, logger } = deps;
  // The commands read the active alerts, silences, audit and history from memory while this process is
  // the only one writing the database (src/store/read-model).
  const store = new ReadModelStore(deps.store, soleWriterTerm(deps));
  const adapters: Map<VenueId, VenueAdapter> = await createAdapters(config, clock, logger);
  let dispatcher: Dispatcher | undefined;
  let scheduler: Scheduler | undefined;
  const wake = (): void => dispatcher?.kick();

  // The alert stage needs the engine (for the summary's snapshot) and the engine needs the stage:
  // the stage closes over `alerts`, assigned right after.
  let alerts: ReturnType<typeof buildAlerts> | undefined;
  // Price feeds (failover, manual pins): the sync reports to the manager, /feeds talks to the control.
  const feeds = buildFeeds({ cfg: config, store, adapters, clock, logger, ...(deps.auth ? { auth: deps.auth } : {}) });
  await feeds.control.restorePins().catch((err: unknown) => logger.warn({ job: 'feeds', err }, 'feed pins not restored: the store did not answer'));
  const ops = createOpsModel(config, { clock, discord: deps.sinkNames.includes(DISCORD_SINK_NAME), ...(deps.probe ? { probe: deps.probe } : {}) });
  const engine = buildEngine({
    onTick: (outcome) => ops.recordTick(outcome),
    feeds: feeds.manager,
    cfg: config,
    store,
    adapters,
    clock,
    logger,
    readOnly: deps.readOnly === true,
    extraStages: deps.readOnly
      ? []
      : [
          { name: 'alerts', run: async (snapshot, risk) => void (await alerts?.engine.evaluate(snapshot, risk, clock.now(), { feeds: feedHealth(snapshot.feeds) })) },
          { name: 'dispatch', run: async () => void (await dispatcher?.dispatchDue()) },
        ],
  });
  alerts = buildAlerts({ cfg: config, store, engine, clock, logger, sinkNames: deps.sinkNames, wake, ...(deps.auth ? { auth: deps.auth } : {}) });
  const service = alerts.service;
  const views = await buildOpsViews({ config, ops, engine, store, logger, metrics: deps.metrics !== false, ...(deps.leadership ? { leadership: deps.leadership } : {}) });
  const ctx: AppCommandContext = {
    now: () => clock.now(),
    config,
    engine,
    alerts: service,
    feeds: feeds.control,
    metrics: store.metrics,
    sync: (accounts) => syncNow(engine, accounts),
    commandList: commands,
    system: () => views.system(),
    ...(deps.leadership ? { leadership: deps.leadership } : {}),
  };

  return {
    config, engine, store, alerts: service, ctx, logger, ops,
    // Every answer is timed into the ops model; /help lists the plain definitions (ctx.commandList).
    commands: timedCommands(commands, ops),
    metrics: views.metrics,
    system: () => views.system(),
    readiness: () => views.readiness(),
    feeds: feeds.control,
    feedEvents: () => feeds.manager.events(),
    ...(deps.leadership ? { leadership: deps.leadership } : {}),
    onRefused: auditRefusals(service, feeds.control),
    sendSummary: (scheduledFor) => alerts.summaryJob(scheduledFor),
    async dispatchNow() {
      await dispatcher?.dispatchDue();
    },
    resumeDelivery() {
      if (!dispatcher) return;
      const d = dispatcher;
      d.resume()
        .then((rows) => {
          if (rows > 0) logger.info({ job: 'outbox', rows }, 'sink reachable again: retrying pending notifications now');
          d.kick();
        })
        .catch((err: unknown) => logger.warn({ job: 'outbox', err }, 'could not reset the outbox backoff'));
    },
    async start(sinks) {
      const missing = deps.sinkNames.filter((n) => !sinks.some((s) => s.name === n));
      if (missing.length) throw new Error(`no sink for ${missing.join(', ')}`);
      dispatcher = new Dispatcher({
        outbox: store.outbox,
        sinks,
        clock,
        logger: logger.child({ job: 'outbox' }),
        onPass: (result, err) => ops.recordDispatch(result, err),
        ...(deps.fence ? { fence: deps.fence } : {}),
      });
      views.start();
      const resumed = await dispatcher.resume().catch((err: unknown) => {
        logger.warn({ job: 'outbox', err }, 'outbox backoff not reset: the store did not answer');
        return 0;
      });
      logger.info({ accounts: config.accounts.length, venues: [...adapters.keys()], db: store.description, config: config.configPath, sinks: deps.sinkNames, resumed }, 'delta-ops starting');
      // node-cron is loaded here, not at start: `--once` and other apps never started run no schedule.
      const { startScheduler } = await import('./scheduler.js');
      scheduler = startScheduler({
        tickIntervalMs: config.schedule.tickInterval,
        tick: () => engine.tick(),
        summaryCron: config.schedule.dailySummary.cron,
        summaryTimezone: config.schedule.dailySummary.timezone,
        sendSummary: (scheduledFor) => alerts.summaryJob(scheduledFor),
        marker: summaryMarker(store.kv),
        clock,
        logger,
      });
      await scheduler.ready;
    },
    async stop() {
      const bounded = (p: Promise<unknown>): Promise<unknown> => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
      await bounded(scheduler?.stop() ?? engine.whenIdle());
      await bounded(views.stop());
      await Promise.allSettled([...adapters.values()].map((a) => a.close()));
      await bounded(store.close());
      logger.info('database closed; delta-ops stopped');
    },
  };
}

/**
 * When this process writes the database alone: as the leader, a term per epoch (a leader that cannot
 * reach the database to renew its lease still is one: it answers from memory until it learns that another
 * took over, and then exits); always when there is no lease (one process on its SQLite file, which the
 * file lock keeps alone); never for `--once` beside a running leader.
 */
function soleWriterTerm(deps: AppDeps): SoleWriterTerm {
  if (deps.readOnly) return () => undefined;
  const { leadership, fence } = deps;
  if (leadership) {
    return () => {
      const l = leadership();
      return l.role === 'leader' ? l.leader?.epoch : undefined;
    };
  }
  return fence ? () => fence()?.epoch : () => 0;
}
