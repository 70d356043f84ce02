import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createApp, type App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { DISCORD_SINK_NAME } from '../../src/discord/sink-name.js';
import { startDiscord, type DiscordBot } from '../../src/discord/start-discord.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../fakes/discord/index.js';
import { tempDir } from '../helpers/run-cli.js';

export const GUILD = '1200000000000000001';
export const OTHER_GUILD = '1200000000000000002';
export const OPS = '1200000000000000010';
export const ALERTS = '1200000000000000011';
export const SUMMARY = '1200000000000000012';
export const OTHER_CHANNEL = '1200000000000000020';
export const ADMIN_ROLE = '1200000000000000100';
export const ALERT_ROLE = '1200000000000000101';
export const ADMIN = { id: '1300000000000000001', username: 'alice' };
export const SCENARIO = 'test/fixtures/discord-scenario.yaml';

/** A member without any role; `n` keeps users apart so the per-user cooldown never couples tests. */
export function user(n: number): { id: string; username: string } {
  return { id: `13000000000000${String(1000 + n).padStart(5, '0')}`, username: `user${n}` };
}

export const fakeOptions = (): FakeDiscordOptions => ({
  token: FAKE_BOT_TOKEN,
  guilds: [
    {
      id: GUILD,
      name: 'desk',
      roles: [{ id: ADMIN_ROLE, name: 'ops-admin' }, { id: ALERT_ROLE, name: 'on-call' }],
      channels: [{ id: OPS, name: 'ops' }, { id: ALERTS, name: 'alerts' }, { id: SUMMARY, name: 'summary' }],
      members: [{ user: ADMIN, roles: [ADMIN_ROLE] }],
    },
    { id: OTHER_GUILD, name: 'elsewhere', channels: [{ id: OTHER_CHANNEL, name: 'general' }] },
  ],
});

export interface LogLine {
  level: number;
  msg?: string;
  errorId?: string;
  [key: string]: unknown;
}

export interface BotFixture {
  fake: FakeDiscord;
  app: App;
  bot: DiscordBot;
  logs: LogLine[];
  dbPath: string;
  env: Record<string, string>;
  /** Stops the bot and the app; the fake and the database stay (for a restart). */
  stopBot(): Promise<void>;
  close(): Promise<void>;
}

function captureLogger(lines: LogLine[]): Logger {
  return pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
}

/** The real app on a scenario config, its Discord transport connected to a running fake. */
export async function startBotOn(fake: FakeDiscord, opts: { dbPath: string; env?: Record<string, string>; logs?: LogLine[]; config?: string }): Promise<Omit<BotFixture, 'close' | 'fake' | 'dbPath'>> {
  const env: Record<string, string> = {
    DISCORD_TOKEN: FAKE_BOT_TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: GUILD,
    ALERT_CHANNEL_ID: ALERTS,
    SUMMARY_CHANNEL_ID: SUMMARY,
    ALERT_ROLE_ID: ALERT_ROLE,
    ADMIN_ROLE_IDS: ADMIN_ROLE,
    COMMAND_COOLDOWN_MS: '60000',
    DELTA_OPS_DB: opts.dbPath,
    ...opts.env,
  };
  const logs = opts.logs ?? [];
  const logger = captureLogger(logs);
  const config = loadConfig(env, opts.config ?? SCENARIO);
  const store = SqliteStore.open(config.store.path);
  let app: App;
  try {
    app = await createApp(config, { clock: systemClock, logger, store, sinkNames: [DISCORD_SINK_NAME] });
  } catch (err) {
    await store.close();
    throw err;
  }
  let bot: DiscordBot;
  try {
    bot = await startDiscord(app, { clock: systemClock });
    await app.start([bot.sink]);
  } catch (err) {
    await app.stop();
    throw err;
  }
  return {
    app,
    bot,
    logs,
    env,
    stopBot: async () => {
      await bot.stop();
      await app.stop();
    },
  };
}

export async function startBot(opts: { env?: Record<string, string>; beforeStart?: (fake: FakeDiscord) => void; config?: string } = {}): Promise<BotFixture> {
  const fake = await startFakeDiscord(fakeOptions());
  const dir = tempDir('delta-ops-discord-');
  const dbPath = join(dir, 'bot.sqlite');
  opts.beforeStart?.(fake);
  let started: Awaited<ReturnType<typeof startBotOn>>;
  try {
    started = await startBotOn(fake, { dbPath, env: opts.env, config: opts.config });
  } catch (err) {
    await fake.close();
    throw err;
  }
  return {
    ...started,
    fake,
    dbPath,
    close: async () => {
      await started.stopBot();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
