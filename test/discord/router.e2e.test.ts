import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import { DeltaOpsError, ErrorCode } from '../../src/core/errors.js';
import { startDiscord, type DiscordBot } from '../../src/discord/start-discord.js';
import type { Command } from '../../src/present/command.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { CallbackType, startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { fakeOptions, GUILD, SCENARIO, user, type LogLine } from './bot-fixture.js';
import { errorIdOf, messageText } from './e2e-helpers.js';

/** Commands that exercise the router's timing and error paths (the app's own commands answer at once). */
const testCommands: Command<unknown>[] = [
  { name: 'quick', description: 'answers at once', handle: () => ({ title: 'quick answer', lines: ['42'] }) },
  { name: 'marked-slow', description: 'says it is slow', slow: true, handle: () => ({ title: 'slow answer' }) },
  {
    name: 'sleepy',
    description: 'takes longer than the defer threshold',
    handle: async () => {
      await sleep(150);
      return { title: 'late answer', lines: ['after 150 ms'] };
    },
  },
  {
    name: 'sleepy-private',
    description: 'late and ephemeral',
    handle: async () => {
      await sleep(150);
      return { title: 'late private answer', ephemeral: true };
    },
  },
  {
    name: 'broken',
    description: 'throws an internal error',
    handle: () => {
      throw new Error('ENOENT: /work/main/data/secret-token-abc123.json at Object.<anonymous> (/work/main/src/x.ts:1:1)');
    },
  },
  { name: 'unavailable', description: 'throws a user-safe error', handle: () => { throw new DeltaOpsError(ErrorCode.MarketDataUnavailable, 'No data yet.'); } },
];

describe('the router: defer, errors, ids', () => {
  let fake: FakeDiscord;
  let bot: DiscordBot;
  const store = SqliteStore.open(':memory:');
  const logs: LogLine[] = [];
  let n = 500;
  const next = () => user(++n);

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
    const env = { DISCORD_TOKEN: FAKE_BOT_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: GUILD, COMMAND_COOLDOWN_MS: '0' };
    const logger = pino({ level: 'debug' }, { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
    bot = await startDiscord(
      { config: loadConfig(env, SCENARIO), commands: testCommands, ctx: {}, engine: { snapshot: () => undefined }, store, logger },
      { clock: systemClock, deferAfterMs: 40 },
    );
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    await store.close();
  });

  it('registers the host\'s commands in the configured guild', () => {
    expect(fake.registeredCommands(GUILD).map((c) => c.name)).toEqual(testCommands.map((c) => c.name));
  });

  it('a quick answer is a direct reply', async () => {
    const h = fake.sendSlashCommand({ name: 'quick', user: next() });
    const out = await h.final();
    expect(out.callback.type).toBe(CallbackType.ChannelMessageWithSource);
    expect(messageText(out.message)).toContain('quick answer');
  });

  it('a command marked slow is deferred at once, then the placeholder is edited', async () => {
    const h = fake.sendSlashCommand({ name: 'marked-slow', user: next() });
    expect((await h.reply()).type).toBe(CallbackType.DeferredChannelMessageWithSource);
    const out = await h.final();
    expect(messageText(out.message)).toContain('slow answer');
  });

  it('a handler that has not answered within the threshold is deferred, then edited', async () => {
    const h = fake.sendSlashCommand({ name: 'sleepy', user: next() });
    expect((await h.reply()).type).toBe(CallbackType.DeferredChannelMessageWithSource);
    const out = await h.final();
    expect(out.ephemeral).toBe(false);
    expect(messageText(out.message)).toContain('after 150 ms');
  });

  it('an ephemeral answer after a public deferral replaces the placeholder with an ephemeral follow-up', async () => {
    const h = fake.sendSlashCommand({ name: 'sleepy-private', user: next() });
    expect((await h.reply()).type).toBe(CallbackType.DeferredChannelMessageWithSource);
    await expect.poll(() => h.followUps().length).toBe(1);
    const f = h.followUps()[0]!;
    expect(f.ephemeral).toBe(true);
    expect(messageText(f.json)).toContain('late private answer');
    expect(h.original()?.deleted ?? true).toBe(true);
  });

  it('an internal failure shows only an error id, which the log has with the cause', async () => {
    const out = await fake.sendSlashCommand({ name: 'broken', user: next() }).final();
    expect(out.ephemeral).toBe(true);
    const text = messageText(out.message);
    expect(text).toContain('Error 500');
    expect(text).not.toMatch(/ENOENT|\/work\/|secret|anonymous/);
    const id = errorIdOf(text);
    const line = logs.find((l) => l.errorId === id);
    expect(line?.msg).toBe('command failed');
    expect(JSON.stringify(line?.['err'])).toContain('ENOENT');
  });

  it('a user-safe error keeps its message and code', async () => {
    const out = await fake.sendSlashCommand({ name: 'unavailable', user: next() }).final();
    expect(messageText(out.message)).toMatch(/Error 1005\nNo data yet\.\nError id: [0-9a-f]{8}/);
  });

  it('a command Discord knows but the bot does not is answered, not ignored', async () => {
    const out = await fake.sendSlashCommand({ name: 'gone', user: next() }).final();
    expect(out.ephemeral).toBe(true);
    expect(messageText(out.message)).toContain('not available');
  });
});
