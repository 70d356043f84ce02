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
import type { KvStore, MetricsStore } from '../store/types.js';
import { handleAlertButton } from '../../commands/alerts.js';
import { renderSummaryChart } from './chart.js';
import { summaryChartData } from './chart-data.js';
import { accessPolicy, CommandGate } from './command-gate.js';
import { Cooldown } from './cooldown.js';
import { deployCommands, type DeployResult } from './deploy-commands.js';
import { DiscordSink } from './discord-sink.js';
import { createInteractionRouter } from './interaction-router.js';
import { restOptions } from './rest.js';

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
}

export interface DiscordDeps {
  clock: Clock;
  /** Defaults to config.env.DISCORD_TOKEN. */
  token?: string;
  /** Defer when a handler has not answered after this long (default 800 ms). */
  deferAfterMs?: number;
}

export interface DiscordBot {
  client: Client<true>;
  sink: DiscordSink;
  commands: DeployResult | undefined;
  stop(): Promise<void>;
}

/** Whether notifications should get a `discord` outbox row (sinkNames): a token and somewhere to post. */
export function discordSinkEnabled(env: Pick<EnvConfig, 'DISCORD_TOKEN' | 'ALERT_CHANNEL_ID' | 'SUMMARY_CHANNEL_ID'>): boolean {
  return Boolean(env.DISCORD_TOKEN && (env.ALERT_CHANNEL_ID || env.SUMMARY_CHANNEL_ID));
}

/**
 * Connects the bot (gateway with the Guilds intent only; REST at DISCORD_API_URL when set, and the
 * gateway address from that API), registers the slash commands when their definitions changed and
 * routes interactions. The returned `sink` goes to `app.start([sink])` (the outbox dispatcher).
 * `stop()` destroys the client.
 */
export async function startDiscord<C>(host: DiscordHost<C>, deps: DiscordDeps): Promise<DiscordBot> {
  const env = host.config.env;
  const token = deps.token ?? env.DISCORD_TOKEN;
  if (!token) throw new Error('DISCORD_TOKEN is not set');
  const log = host.logger.child({ component: 'discord' });
  const policy = accessPolicy(env);
  if (policy.allowedGuildIds.length === 0) log.warn('neither ALLOWED_GUILD_IDS nor DISCORD_GUILD_ID is set: commands are answered in every server the bot is in');

  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: restOptions(env.DISCORD_API_URL), allowedMentions: { parse: [] } });
  const alerts = host.alerts;
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
    logger: log,
    ...(deps.deferAfterMs !== undefined ? { deferAfterMs: deps.deferAfterMs } : {}),
  });
  client.on(Events.InteractionCreate, (i) => void router(i));
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(token);
    await ready;
  } catch (err) {
    await client.destroy();
    throw err;
  }
  if (!client.isReady()) throw new Error('the Discord client did not become ready');
  log.info({ user: client.user.username, guilds: client.guilds.cache.size, api: env.DISCORD_API_URL ?? 'discord.com' }, 'connected to Discord');

  let commands: DeployResult | undefined;
  try {
    const appId = env.DISCORD_APP_ID ?? client.application.id;
    commands = await deployCommands({ rest: client.rest, kv: host.store.kv, scope: { appId, ...(env.DISCORD_GUILD_ID ? { guildId: env.DISCORD_GUILD_ID } : {}) }, commands: host.commands, logger: log });
  } catch (err) {
    // The commands registered before still work; the next start tries again (the hash was not stored).
    log.error({ err }, 'slash command registration failed');
  }

  const sink = new DiscordSink({
    rest: client.rest,
    ...(env.ALERT_CHANNEL_ID ? { alertChannelId: env.ALERT_CHANNEL_ID } : {}),
    ...(env.SUMMARY_CHANNEL_ID ? { summaryChannelId: env.SUMMARY_CHANNEL_ID } : {}),
    ...(env.ALERT_ROLE_ID ? { alertRoleId: env.ALERT_ROLE_ID } : {}),
    chart: (p) => renderSummaryChart(summaryChartData(host.store.metrics, p)),
    logger: log,
  });

  let stopped = false;
  return {
    client,
    sink,
    commands,
    async stop() {
      if (stopped) return;
      stopped = true;
      client.removeAllListeners();
      await client.destroy();
      log.info('disconnected from Discord');
    },
  };
}
