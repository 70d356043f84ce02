/**
 * What the Discord benchmarks share: the loopback Discord fake with the end-to-end tests' guild, the real
 * app connected to it (createApp + startDiscord, production logger level), and the transport floor (a
 * bare discord.js client answering `/ping` with "pong").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Events, type Client, type Interaction, type InteractionReplyOptions } from 'discord.js';
import type { Logger } from 'pino';
import { createApp, type App } from '../src/app/app.js';
import { createLogger } from '../src/app/logger.js';
import { loadConfig } from '../src/config/load-config.js';
import { systemClock } from '../src/core/clock.js';
import { DISCORD_SINK_NAME } from '../src/discord/sink-name.js';
import { startDiscord, type DiscordBot } from '../src/discord/start-discord.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { ADMIN_ROLE, ALERT_ROLE, ALERTS, fakeOptions, GUILD, SUMMARY } from '../test/discord/bot-fixture.js';
import { connectDiscordClient, FAKE_BOT_TOKEN } from '../test/fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord } from '../test/fakes/discord/index.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const DISCORD_SCENARIO = join(ROOT, 'test/fixtures/discord-scenario.yaml');

export interface AppOnFake {
  fake: FakeDiscord;
  app: App;
  bot: DiscordBot;
  dir: string;
  close(): Promise<void>;
}

/** The logger `npm start` builds (info, secrets scrubbed, synchronous writes), writing to /dev/null. */
export function benchLogger(level = 'info'): Logger {
  return createLogger({ level, secrets: [FAKE_BOT_TOKEN], destination: '/dev/null' });
}

/**
 * The real app on `configPath` with its Discord transport connected to a fresh fake. No cooldown (one
 * user issues every command); `env` overrides the rest.
 */
export async function startAppOnFake(opts: { configPath?: string; env?: Record<string, string>; logger?: Logger; fake?: FakeDiscord } = {}): Promise<AppOnFake> {
  const fake = opts.fake ?? (await startFakeDiscord(fakeOptions()));
  const dir = mkdtempSync(join(tmpdir(), 'delta-ops-bench-'));
  const env: Record<string, string> = {
    DISCORD_TOKEN: FAKE_BOT_TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: GUILD,
    ALERT_CHANNEL_ID: ALERTS,
    SUMMARY_CHANNEL_ID: SUMMARY,
    ALERT_ROLE_ID: ALERT_ROLE,
    ADMIN_ROLE_IDS: ADMIN_ROLE,
    COMMAND_COOLDOWN_MS: '0',
    DELTA_OPS_DB: join(dir, 'bench.sqlite'),
    ...opts.env,
  };
  const logger = opts.logger ?? benchLogger();
  const config = loadConfig(env, opts.configPath ?? DISCORD_SCENARIO);
  const store = SqliteStore.open(config.store.path);
  let app: App;
  try {
    app = await createApp(config, { clock: systemClock, logger, store, sinkNames: [DISCORD_SINK_NAME] });
  } catch (err) {
    await store.close();
    if (!opts.fake) await fake.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let bot: DiscordBot | undefined;
  try {
    bot = await startDiscord(app, { clock: systemClock });
    await app.start([bot.sink]);
  } catch (err) {
    await bot?.stop();
    await app.stop();
    if (!opts.fake) await fake.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const started = bot;
  return {
    fake,
    app,
    bot: started,
    dir,
    close: async () => {
      await started.stop();
      await app.stop();
      if (!opts.fake) await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PongOnFake {
  fake: FakeDiscord;
  client: Client<true>;
  close(): Promise<void>;
}

/**
 * The floor: a bare discord.js client on its own fake, answering `/ping` with "pong" and nothing else;
 * `/canned-<i>` answers with the prebuilt message `canned[i]` (what a bigger reply costs the transport).
 */
export async function startPongOnFake(canned: readonly InteractionReplyOptions[] = []): Promise<PongOnFake> {
  const fake = await startFakeDiscord(fakeOptions());
  const client = await connectDiscordClient(fake);
  await client.application.commands.set([{ name: 'ping', description: 'Round trip' }, ...canned.map((_, i) => ({ name: `canned-${i}`, description: 'Prebuilt reply' }))], GUILD);
  client.on(Events.InteractionCreate, (i: Interaction) => {
    if (!i.isChatInputCommand()) return;
    if (i.commandName === 'ping') void i.reply('pong');
    const reply = canned[Number(/^canned-(\d+)$/.exec(i.commandName)?.[1] ?? -1)];
    if (reply) void i.reply(reply);
  });
  return {
    fake,
    client,
    close: async () => {
      await client.destroy();
      await fake.close();
    },
  };
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}
