import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import type { EnvConfig } from '../config/env.js';
import type { AlertService } from '../core/alerts/service.js';
import type { Clock } from '../core/clock.js';
import type { Snapshot } from '../core/types.js';
import type { Command } from '../present/command.js';
import type { RefusalHook } from '../present/execute.js';
import type { KvStore, MetricsStore } from '../core/ports/store.js';
import type { DiscordRestSample, OpsModel } from '../core/ops/ops-model.js';
import { handleAlertButton } from '../../commands/alerts.js';
import { renderSummaryChart } from './chart.js';
import { summaryChartData } from './chart-data.js';
import { accessPolicy, CommandGate } from './command-gate.js';
import { Cooldown } from './cooldown.js';
import { deployCommands, type DeployResult } from './deploy-commands.js';
import { DiscordSink } from './discord-sink.js';
import { dmButtonActor } from './dm-actor.js';
import { createInteractionRouter } from './interaction-router.js';
import { createRest, restOptions } from './rest.js';
import { isPermanentDiscordError } from './rest-errors.js';

/** What the Discord transport needs from the app (App satisfies it structurally). */
export interface DiscordHost<C> {
  config: AppConfig;
  commands: readonly Command<C>[];
  ctx: C;
  engine: { snapshot(): Snapshot | undefined };
  store: { kv: KvStore; metrics: MetricsStore };
  logger: Logger;
  /** Alert actions: buttons and autocomplete of alert ids. */
  alerts?: AlertService;
  /** Audits refused admin commands (App.onRefused). */
  onRefused?: RefusalHook;
  /** Told of the connection and every REST call (App.ops: /status, /readyz, /metrics). */
  ops?: Pick<OpsModel, 'discordUp' | 'discordDown' | 'recordDiscordRest'>;
}

export interface DiscordDeps {
  clock: Clock;
  /** Defaults to config.env.DISCORD_TOKEN. */
  token?: string;
  /** Defer when a handler has not answered after this long (default 800 ms). */
  deferAfterMs?: number;
  /**
   * Called each time the gateway session is (re)established: the first ready, a resume or a new session
   * after an outage. The app uses it to deliver what waited in the outbox at once instead of after its
   * backoff.
   */
  onConnected?: () => void;
}

export interface DiscordBot {
  /** The connected client (a new one replaces it when a failed start-up attempt is retried). */
  client: Client<true>;
  sink: DiscordSink;
  commands: DeployResult | undefined;
  stop(): Promise<void>;
}

export interface KeepConnectingOptions {
  maxDelayMs?: number;
  /** Attempts that already failed (the caller's own first `connect`): the loop waits before its first try. */
  failed?: number;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** A bot that may not be connected yet: its sink already works (REST only needs the token). */
export interface DiscordConnector {
  sink: DiscordSink;
  /** The slash-command registration of the last successful connect. */
  readonly commands: DeployResult | undefined;
  /** One attempt: log in, wait until ready, register the commands when they changed. */
  connect(): Promise<DiscordBot>;
  /**
   * Retries `connect` with backoff (1 s doubling to `maxDelayMs`, default 10 s) until it succeeds;
   * rejects at once on a permanent failure (a rejected token) and when stopped.
   */
  keepConnecting(opts?: KeepConnectingOptions): Promise<DiscordBot>;
  stop(): Promise<void>;
}

/** Whether notifications should get a `discord` outbox row (sinkNames): a token and somewhere to post. */
export function discordSinkEnabled(env: Pick<EnvConfig, 'DISCORD_TOKEN' | 'ALERT_CHANNEL_ID' | 'SUMMARY_CHANNEL_ID'>): boolean {
  return Boolean(env.DISCORD_TOKEN && (env.ALERT_CHANNEL_ID || env.SUMMARY_CHANNEL_ID));
}

/**
 * The Discord transport, not yet connected: the interaction router (the guild allow-list, cooldown,
 * admin flags, deferral), and the outbox sink on its own REST client, so notifications can be posted
 * (or wait in the outbox) whatever state the gateway is in. `connect` logs in with the Guilds intent
 * only (REST at DISCORD_API_URL when set, the gateway address from that API) and registers the slash
 * commands when their definitions changed. A failed login destroys its client, so each attempt uses a
 * fresh one.
 */
export function createDiscordBot<C>(host: DiscordHost<C>, deps: DiscordDeps): DiscordConnector {
  const env = host.config.env;
  const token = deps.token ?? env.DISCORD_TOKEN;
  if (!token) throw new Error('DISCORD_TOKEN is not set');
  const log = host.logger.child({ component: 'discord' });
  const policy = accessPolicy(env);
  if (policy.allowedGuildIds.length === 0) log.warn('neither ALLOWED_GUILD_IDS nor DISCORD_GUILD_ID is set: commands are answered in every server the bot is in');

  const alerts = host.alerts;
  // Escalation DMs carry an Acknowledge button: its clicker's admin roles are read in these servers.
  const dmGuilds = [...new Set([env.DISCORD_GUILD_ID, ...env.ALLOWED_GUILD_IDS].filter((g): g is string => g !== undefined))];
  if (dmGuilds.length === 0 && host.config.alerts.escalation.some((s) => s.dmUserIds.length > 0))
    log.warn('alerts.escalation sends DMs but neither DISCORD_GUILD_ID nor ALLOWED_GUILD_IDS is set: their Acknowledge buttons will be refused');
  const router = createInteractionRouter({
    commands: host.commands,
    ctx: host.ctx,
    gate: new CommandGate(policy, new Cooldown(env.COMMAND_COOLDOWN_MS, deps.clock)),
    policy,
    suggestions: {
      snapshot: () => host.engine.snapshot(),
      accountIds: host.config.accounts.map((a) => a.id),
      ...(alerts ? { activeAlerts: () => alerts.list({ state: 'active', limit: 100 }) } : {}),
    },
    ...(alerts ? { buttons: (actor, customId) => handleAlertButton({ now: () => deps.clock.now(), alerts }, actor, customId) } : {}),
    ...(host.onRefused ? { onRefused: host.onRefused } : {}),
    ...(dmGuilds.length ? { dmButtonActor: dmButtonActor(createRest(token, env.DISCORD_API_URL), policy, dmGuilds) } : {}),
    logger: log,
    ...(deps.deferAfterMs !== undefined ? { deferAfterMs: deps.deferAfterMs } : {}),
  });
  const ops = host.ops;
  const observeRest = ops ? (sample: DiscordRestSample): void => ops.recordDiscordRest(sample) : undefined;
  const sink = new DiscordSink({
    rest: createRest(token, env.DISCORD_API_URL, observeRest),
    ...(env.ALERT_CHANNEL_ID ? { alertChannelId: env.ALERT_CHANNEL_ID } : {}),
    ...(env.SUMMARY_CHANNEL_ID ? { summaryChannelId: env.SUMMARY_CHANNEL_ID } : {}),
    ...(env.ALERT_ROLE_ID ? { alertRoleId: env.ALERT_ROLE_ID } : {}),
    chart: async (p) => renderSummaryChart(await summaryChartData(host.store.metrics, p)),
    logger: log,
  });
  const connected = (): void => {
    ops?.discordUp();
    try {
      deps.onConnected?.();
    } catch (err) {
      log.error({ err }, 'onConnected hook failed');
    }
  };

  let client: Client | undefined;
  let bot: DiscordBot | undefined;
  let commands: DeployResult | undefined;
  let stopped = false;
  let wakeRetry: (() => void) | undefined;

  const newClient = (): Client => {
    const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: restOptions(env.DISCORD_API_URL, observeRest), allowedMentions: { parse: [] } });
    c.on(Events.InteractionCreate, (i) => void router(i));
    c.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
    c.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
    c.on(Events.ShardDisconnect, (event, shard) => {
      log.warn({ shard, code: event.code }, 'gateway disconnected');
      ops?.discordDown(`gateway disconnected (close code ${event.code})`);
    });
    c.on(Events.ShardReconnecting, () => ops?.discordDown('gateway reconnecting'));
    c.on(Events.ShardResume, (shard, replayed) => {
      log.info({ shard, replayed }, 'gateway resumed');
      connected();
    });
    // A new session after a reconnect (the first one is reported by connect()).
    c.on(Events.ShardReady, () => {
      if (bot) connected();
    });
    return c;
  };

  const connect = async (): Promise<DiscordBot> => {
    if (bot) return bot;
    if (stopped) throw new Error('the Discord transport was stopped');
    const c = newClient();
    client = c;
    const abort = new AbortController();
    const ready = once(c, Events.ClientReady, { signal: abort.signal });
    try {
      await c.login(token);
      await ready;
    } catch (err) {
      abort.abort();
      await ready.catch(() => undefined);
      c.removeAllListeners();
      await c.destroy();
      client = undefined;
      throw err;
    }
    if (!c.isReady()) throw new Error('the Discord client did not become ready');
    log.info({ user: c.user.username, guilds: c.guilds.cache.size, api: env.DISCORD_API_URL ?? 'discord.com' }, 'connected to Discord');
    try {
      const appId = env.DISCORD_APP_ID ?? c.application.id;
      commands = await deployCommands({ rest: c.rest, kv: host.store.kv, scope: { appId, ...(env.DISCORD_GUILD_ID ? { guildId: env.DISCORD_GUILD_ID } : {}) }, commands: host.commands, logger: log });
    } catch (err) {
      // The commands registered before still work; the next start tries again (the hash was not stored).
      log.error({ err }, 'slash command registration failed');
    }
    bot = {
      client: c,
      sink,
      get commands() {
        return commands;
      },
      stop: () => connector.stop(),
    };
    connected();
    return bot;
  };

  const connector: DiscordConnector = {
    sink,
    get commands() {
      return commands;
    },
    connect,
    async keepConnecting(opts = {}) {
      const delayAfter = (failed: number): number => Math.min(opts.maxDelayMs ?? 10_000, 1000 * 2 ** Math.min(failed - 1, 20));
      const pause = (failed: number): Promise<void> =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayAfter(failed));
          wakeRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      for (let failed = opts.failed ?? 0; ; ) {
        if (failed > 0) await pause(failed);
        wakeRetry = undefined;
        try {
          return await connect();
        } catch (err) {
          if (stopped || isPermanentDiscordError(err)) throw err;
          failed++;
          opts.onRetry?.(err, failed, delayAfter(failed));
        }
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      wakeRetry?.();
      const c = client;
      if (!c) return;
      c.removeAllListeners();
      await c.destroy();
      log.info('disconnected from Discord');
    },
  };
  return connector;
}

/**
 * Connects the bot now (see createDiscordBot) and resolves once it is ready; a failed attempt rejects.
 * The returned `sink` goes to `app.start([sink])` (the outbox dispatcher). `stop()` destroys the client.
 */
export async function startDiscord<C>(host: DiscordHost<C>, deps: DiscordDeps): Promise<DiscordBot> {
  const connector = createDiscordBot(host, deps);
  try {
    return await connector.connect();
  } catch (err) {
    await connector.stop();
    throw err;
  }
}
