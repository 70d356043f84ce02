import { systemClock } from '../../../src/core/clock.js';
import { CommandStore } from './command-store.js';
import type { RegisteredCommand } from './command-store.js';
import type { LostResponseOptions, RateLimitOptions, ServerErrorOptions } from './faults.js';
import { FaultInjector } from './faults.js';
import { FakeGateway } from './gateway.js';
import type { RecordedRequest } from './http-server.js';
import { FakeHttpServer } from './http-server.js';
import { DEFAULT_WAIT_MS, InteractionHandle } from './interaction-handle.js';
import type { AutocompleteInput, ButtonClickInput, SlashCommandInput } from './interaction-payloads.js';
import { autocompletePayload, buttonClickPayload, slashCommandPayload } from './interaction-payloads.js';
import { InteractionRegistry } from './interaction-registry.js';
import type { InteractionJson, MessageJson, UserJson } from './json-types.js';
import { wireMessageEvents } from './message-events.js';
import { MessageStore } from './message-store.js';
import type { StoredMessage } from './message-store.js';
import type { FakeDiscordOptions, FakeUserInput } from './options.js';
import { DEFAULT_BOT_USER } from './options.js';
import { Router } from './router.js';
import { registerApplicationCommandRoutes } from './routes/application-command-routes.js';
import { registerChannelMessageRoutes } from './routes/channel-message-routes.js';
import { registerGuildRoutes } from './routes/guild-routes.js';
import { registerInteractionRoutes } from './routes/interaction-routes.js';
import { registerMetaRoutes } from './routes/meta-routes.js';
import type { RouteDeps } from './routes/route-deps.js';
import { SnowflakeFactory } from './snowflake.js';
import { Signal, waitUntil } from './wait.js';
import { userJson, World } from './world.js';

/** A running fake of Discord's REST API and gateway on 127.0.0.1. */
export interface FakeDiscord {
  /** REST base for discord.js `rest.api` / DISCORD_API_URL, e.g. `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** What GET /gateway/bot returns, e.g. `ws://127.0.0.1:PORT/gateway`. */
  readonly gatewayUrl: string;
  readonly appId: string;
  readonly botUser: UserJson;
  /** Every REST request, in arrival order (including the ones answered 429/5xx). */
  readonly requests: readonly RecordedRequest[];
  readonly gateway: FakeGateway;
  readonly faults: FaultInjector;
  readonly rateLimitsServed: number;
  readonly isDown: boolean;

  /** Resolves once a client has identified (or resumed) and received its guilds. */
  waitForGatewayReady(timeoutMs?: number): Promise<void>;
  sendSlashCommand(input: SlashCommandInput): InteractionHandle;
  sendAutocomplete(input: AutocompleteInput): InteractionHandle;
  clickButton(input: ButtonClickInput): InteractionHandle;
  /** Injects any prebuilt interaction payload (e.g. a modal submit) as INTERACTION_CREATE. */
  sendInteraction(payload: InteractionJson): InteractionHandle;
  /** Non-ephemeral messages of a channel, oldest first. */
  channelMessages(channelId: string): StoredMessage[];
  /** Any message by id, ephemeral ones included. */
  message(id: string): StoredMessage | undefined;
  /** Resolves with the first message (created or edited) in the channel that matches. */
  waitForMessage(channelId: string, predicate?: (m: MessageJson, stored: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage>;
  registeredCommands(guildId?: string): RegisteredCommand[];
  requestsTo(method: string, path: RegExp): RecordedRequest[];
  injectRateLimit(route: RegExp, count: number, retryAfterSec?: number, opts?: RateLimitOptions): void;
  injectServerError(route: RegExp, count: number, status?: number, opts?: ServerErrorOptions): void;
  /** The next N matching requests take effect but their answer is lost (connection cut); see FaultInjector. */
  injectLostResponse(route: RegExp, count: number, opts?: LostResponseOptions): void;
  /** Resets every connection (REST and gateway) until `comeUp()` or, if given, `forMs` later. */
  goDown(forMs?: number): void;
  comeUp(): void;
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const clock = options.clock ?? systemClock;
  const ids = new SnowflakeFactory(clock);
  const botInput: FakeUserInput = { ...(options.botUser ?? DEFAULT_BOT_USER), bot: true };
  const bot = userJson(botInput);
  const appId = options.appId ?? bot.id;
  const world = new World(bot, options.guilds ?? [], ids, new Date(clock.now()).toISOString());
  const knownUsers = new Map<string, UserJson>([[bot.id, bot]]);
  for (const g of world.guilds.values()) for (const m of g.members) knownUsers.set(m.user.id, m.user);
  const lookupUser = (id: string): UserJson => knownUsers.get(id) ?? userJson({ id, username: `user-${id.slice(-4)}` });

  let origin = '';
  const gatewayUrl = (): string => `${origin.replace(/^http/, 'ws')}/gateway`;
  const messages = new MessageStore({ ids, clock, lookupUser, attachmentBase: () => origin, nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000 });
  const commands = new CommandStore(ids);
  const interactions = new InteractionRegistry({ messages, clock, appId, bot, deadlineMs: options.interactionDeadlineMs ?? null });
  const token = options.token ?? null;
  const gateway = new FakeGateway({ world, bot, appId, token, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, gatewayUrl });
  const faults = new FaultInjector();

  const deps: RouteDeps = { world, messages, commands, interactions, appId, bot, ids, clock, gatewayUrl, lookupUser };
  const router = new Router();
  registerMetaRoutes(router, deps);
  registerGuildRoutes(router, deps);
  registerChannelMessageRoutes(router, deps);
  registerApplicationCommandRoutes(router, deps);
  registerInteractionRoutes(router, deps);

  const http = new FakeHttpServer({
    router,
    faults,
    clock,
    token,
    onUpgrade: (req, socket, head) => gateway.handleUpgrade(req, socket, head),
    serveAttachment: (path) => {
      const attachmentId = path.split('/')[3];
      for (const m of messages.all()) {
        const i = m.json.attachments.findIndex((a) => a.id === attachmentId);
        if (i >= 0) return { bytes: m.files[i]!.bytes, contentType: m.files[i]!.contentType };
      }
      return undefined;
    },
  });
  const port = await http.listen();
  origin = `http://127.0.0.1:${port}`;
  const unwireEvents = wireMessageEvents(messages, gateway);
  const messageChanged = new Signal();
  const unsubscribe = messages.subscribe(() => messageChanged.notify());
  let downTimer: NodeJS.Timeout | null = null;

  const ctx = { world, commands, ids, appId };
  const inject = (payload: InteractionJson): InteractionHandle => {
    const actor = payload.member?.user ?? payload.user;
    if (actor) knownUsers.set(actor.id, actor);
    interactions.issue(payload);
    if (!gateway.dispatch('INTERACTION_CREATE', payload, payload.guild_id ?? null)) {
      throw new Error('no gateway session to deliver the interaction to: is the client logged in?');
    }
    return new InteractionHandle(payload, interactions, messages);
  };
  const comeUp = (): void => {
    if (downTimer) clearTimeout(downTimer);
    downTimer = null;
    http.setDown(false);
  };

  return {
    apiUrl: `${origin}/api`,
    gatewayUrl: gatewayUrl(),
    appId,
    botUser: bot,
    requests: http.requests,
    gateway,
    faults,
    get rateLimitsServed() {
      return faults.rateLimitsServed;
    },
    get isDown() {
      return http.isDown;
    },
    waitForGatewayReady: (timeoutMs = DEFAULT_WAIT_MS) =>
      waitUntil(() => (gateway.ready ? true : undefined), gateway.changed.subscribe, timeoutMs, () => `gateway not ready (${JSON.stringify(gateway.stats)})`).then(() => undefined),
    sendSlashCommand: (input) => inject(slashCommandPayload(ctx, input)),
    sendAutocomplete: (input) => inject(autocompletePayload(ctx, input)),
    clickButton: (input) => {
      const target = messages.get(input.messageId);
      if (!target) throw new Error(`no message ${input.messageId} to click on`);
      return inject(buttonClickPayload(ctx, input, target.json));
    },
    sendInteraction: inject,
    channelMessages: (channelId) => messages.visibleIn(channelId),
    message: (id) => messages.get(id),
    waitForMessage: (channelId, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) =>
      waitUntil(
        () => messages.visibleIn(channelId).find((m) => predicate(m.json, m)),
        messageChanged.subscribe,
        timeoutMs,
        () => `no matching message in ${channelId}; have: ${JSON.stringify(messages.visibleIn(channelId).map((m) => m.json.content))}`,
      ),
    registeredCommands: (guildId) => commands.list(guildId ?? null),
    requestsTo: (method, path) => http.requests.filter((r) => r.method === method.toUpperCase() && path.test(r.path)),
    injectRateLimit: (route, count, retryAfterSec, opts) => faults.injectRateLimit(route, count, retryAfterSec, opts),
    injectServerError: (route, count, status, opts) => faults.injectServerError(route, count, status, opts),
    injectLostResponse: (route, count, opts) => faults.injectLostResponse(route, count, opts),
    goDown: (forMs) => {
      http.setDown(true);
      gateway.dropConnections();
      if (downTimer) clearTimeout(downTimer);
      downTimer = forMs === undefined ? null : setTimeout(comeUp, forMs);
    },
    comeUp,
    close: async () => {
      if (downTimer) clearTimeout(downTimer);
      unsubscribe();
      unwireEvents();
      await gateway.close();
      await http.close();
    },
  };
}
