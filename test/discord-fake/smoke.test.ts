import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Events, MessageFlags } from 'discord.js';
import type { Client, Interaction, TextChannel } from 'discord.js';
import { connectDiscordClient, FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord } from '../fakes/discord/index.js';
import type { FakeDiscord } from '../fakes/discord/index.js';

const GUILD = '1200000000000000001';
const OPS = '1200000000000000010';
const ADMIN_ROLE = '1200000000000000100';
const ALICE = { id: '1300000000000000001', username: 'alice' };
const BOB = { id: '1300000000000000002', username: 'bob' };
// A 1x1 PNG, as the daily-summary chart would be (just smaller).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const COMMANDS = [
  { name: 'ping', description: 'Round trip' },
  { name: 'slow', description: 'Deferred answer' },
  { name: 'secret', description: 'Ephemeral answer' },
  { name: 'funding', description: 'Funding rates', options: [{ type: 3, name: 'symbol', description: 'Symbol', autocomplete: true }] },
  {
    name: 'alerts',
    description: 'Alerts',
    options: [{ type: 1, name: 'ack', description: 'Acknowledge', options: [{ type: 3, name: 'id', description: 'Alert id', required: true }] }],
  },
];

/** The tiny inline bot under test: just enough to exercise each interaction path. */
async function handle(i: Interaction): Promise<void> {
  if (i.isAutocomplete()) {
    const typed = i.options.getFocused().toUpperCase();
    await i.respond(['BTC', 'ETH', 'SOL'].filter((s) => s.startsWith(typed)).map((s) => ({ name: s, value: s })));
  } else if (i.isButton()) {
    await i.update({ content: `acked by ${i.user.username}`, components: [] });
  } else if (i.isChatInputCommand()) {
    switch (i.commandName) {
      case 'ping':
        return void (await i.reply(i.inGuild() ? 'pong' : 'pong (dm)'));
      case 'slow':
        await i.deferReply();
        return void (await i.editReply('done after a while'));
      case 'secret':
        return void (await i.reply({ content: 'only you', flags: MessageFlags.Ephemeral }));
      case 'alerts': {
        const id = i.options.getString('id', true);
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(`ack:${id}`).setLabel('Ack').setStyle(ButtonStyle.Primary));
        return void (await i.reply({ content: `alert ${id} (${i.options.getSubcommand()})`, components: [row] }));
      }
    }
  }
}

describe('a real discord.js 14 client against the fake', () => {
  let fake: FakeDiscord;
  let client: Client<true>;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      guilds: [
        {
          id: GUILD,
          name: 'desk',
          roles: [{ id: ADMIN_ROLE, name: 'ops-admin' }],
          channels: [{ id: OPS, name: 'ops' }],
          members: [{ user: BOB, roles: [ADMIN_ROLE] }],
        },
      ],
      token: FAKE_BOT_TOKEN,
    });
    client = await connectDiscordClient(fake);
    client.on(Events.InteractionCreate, (i) => void handle(i));
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it('reaches ready over plain JSON v10 with the guild, its channels and roles cached', () => {
    expect(client.user.id).toBe(fake.botUser.id);
    expect(client.application.id).toBe(fake.appId);
    const guild = client.guilds.cache.get(GUILD);
    expect(guild?.channels.cache.get(OPS)?.name).toBe('ops');
    expect(guild?.roles.cache.get(ADMIN_ROLE)?.name).toBe('ops-admin');
    expect(fake.requestsTo('GET', /^\/gateway\/bot$/)[0]?.version).toBe(10);
    expect(fake.gateway.stats.queries[0]).toEqual({ v: '10', encoding: 'json' });
    expect(fake.gateway.stats.identifies).toBe(1);
  });

  it('serves the lookups discord.js makes on demand', async () => {
    const app = await client.application.fetch();
    expect(app.id).toBe(fake.appId);
    const guild = client.guilds.cache.get(GUILD)!;
    guild.members.cache.delete(BOB.id);
    const bob = await guild.members.fetch(BOB.id);
    expect(bob.roles.cache.has(ADMIN_ROLE)).toBe(true);
    client.channels.cache.delete(OPS);
    expect((await client.channels.fetch(OPS))?.id).toBe(OPS);
  });

  it('stores guild commands registered with bulk overwrite', async () => {
    await client.application.commands.set(COMMANDS, GUILD);
    expect(fake.registeredCommands(GUILD).map((c) => c.name)).toEqual(['ping', 'slow', 'secret', 'funding', 'alerts']);
    expect(fake.requestsTo('PUT', /\/guilds\/\d+\/commands$/)).toHaveLength(1);
  });

  it('answers /ping with pong, visible in the channel', async () => {
    const h = fake.sendSlashCommand({ channelId: OPS, user: ALICE, roles: [ADMIN_ROLE], name: 'ping' });
    const cb = await h.reply();
    expect(cb).toMatchObject({ type: 4, ephemeral: false, data: { content: 'pong' } });
    const { message } = await h.final();
    expect(message).toMatchObject({ content: 'pong', type: 20, channel_id: OPS });
    expect(fake.channelMessages(OPS).map((m) => m.json.id)).toContain(message?.id);
  });

  it('follows a deferred reply through to its edit', async () => {
    const h = fake.sendSlashCommand({ user: ALICE, name: 'slow' });
    expect((await h.reply()).type).toBe(5);
    const { message } = await h.final();
    expect(message?.content).toBe('done after a while');
    expect(message?.flags).toBe(0);
    expect(h.original()?.history.map((v) => v.flags)).toEqual([128, 0]);
  });

  it('keeps an ephemeral reply out of the channel history', async () => {
    const before = fake.channelMessages(OPS).length;
    const h = fake.sendSlashCommand({ user: ALICE, name: 'secret' });
    const { callback, message } = await h.final();
    expect(callback.ephemeral).toBe(true);
    expect(message?.flags).toBe(64);
    expect(fake.channelMessages(OPS)).toHaveLength(before);
  });

  it('returns autocomplete choices for the focused option', async () => {
    const h = fake.sendAutocomplete({ user: ALICE, name: 'funding', options: { symbol: 'e' }, focused: 'symbol' });
    const cb = await h.reply();
    expect(cb.type).toBe(8);
    expect(cb.data?.choices).toEqual([{ name: 'ETH', value: 'ETH' }]);
  });

  it('runs a subcommand, then updates its message on a button click', async () => {
    const h = fake.sendSlashCommand({ user: ALICE, name: 'alerts', subcommand: 'ack', options: { id: 'A7' } });
    const { message } = await h.final();
    expect(message?.content).toBe('alert A7 (ack)');
    const click = fake.clickButton({ messageId: message!.id, customId: 'ack:A7', user: ALICE, roles: [ADMIN_ROLE] });
    expect((await click.reply()).type).toBe(7);
    expect(fake.message(message!.id)?.json).toMatchObject({ content: 'acked by alice', components: [] });
  });

  it('answers a DM interaction (user, no member, no guild)', async () => {
    const h = fake.sendSlashCommand({ dm: true, user: ALICE, name: 'ping' });
    expect(h.payload.guild_id).toBeUndefined();
    expect(h.payload.user?.id).toBe(ALICE.id);
    expect((await h.final()).message?.content).toBe('pong (dm)');
  });

  it('dedupes a channel post sent twice with the same nonce and enforce_nonce', async () => {
    const channel = client.channels.cache.get(OPS) as TextChannel;
    const first = await channel.send({ content: 'alert #1', nonce: 'outbox-1', enforceNonce: true });
    const second = await channel.send({ content: 'alert #1', nonce: 'outbox-1', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(fake.channelMessages(OPS).filter((m) => m.json.content === 'alert #1')).toHaveLength(1);
  });

  it('lets discord.js retry through an injected 429 and delivers exactly once', async () => {
    const channel = client.channels.cache.get(OPS) as TextChannel;
    fake.injectRateLimit(/^\/channels\/\d+\/messages$/, 1, 0.05, { method: 'POST' });
    const served = fake.rateLimitsServed;
    const sent = await channel.send('after the rate limit');
    expect(fake.rateLimitsServed).toBe(served + 1);
    const posts = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/).filter((r) => (r.body as { content?: string }).content === 'after the rate limit');
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    expect(fake.channelMessages(OPS).filter((m) => m.json.id === sent.id)).toHaveLength(1);
  });

  it('captures a PNG attachment byte for byte', async () => {
    const channel = client.channels.cache.get(OPS) as TextChannel;
    const sent = await channel.send({ content: 'daily summary', files: [{ attachment: PNG, name: 'chart.png' }] });
    const stored = fake.message(sent.id);
    expect(stored?.json.attachments[0]).toMatchObject({ filename: 'chart.png', content_type: 'image/png', size: PNG.length });
    expect(stored?.files[0]?.bytes.equals(PNG)).toBe(true);
    const res = await fetch(stored!.json.attachments[0]!.url);
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('measures the ping round trip (information only)', async () => {
    const samples: number[] = [];
    for (let n = 0; n < 50; n++) {
      const t0 = performance.now();
      await fake.sendSlashCommand({ user: ALICE, name: 'ping' }).reply();
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const median = (samples[24]! + samples[25]!) / 2;
    console.log(`[fake-discord] ping round trip over 50: median ${median.toFixed(2)} ms, p90 ${samples[44]!.toFixed(2)} ms`);
    expect(samples).toHaveLength(50);
  });
});
