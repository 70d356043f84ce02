import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Events } from 'discord.js';
import type { Client, TextChannel } from 'discord.js';
import { connectDiscordClient } from '../fakes/discord/discord-client.js';
import { startFakeDiscord } from '../fakes/discord/index.js';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { ALICE, fixtureOptions, OPS } from './fixture.js';

/** How discord.js itself reacts to the fake's faults: retries, resumes, outages. */
describe('discord.js resilience against the fake', () => {
  let fake: FakeDiscord;
  let client: Client<true>;
  const ops = (): TextChannel => client.channels.cache.get(OPS) as TextChannel;

  beforeEach(async () => {
    fake = await startFakeDiscord(fixtureOptions());
    client = await connectDiscordClient(fake);
    client.on(Events.InteractionCreate, (i) => void (i.isChatInputCommand() && i.reply('pong')));
  });
  afterEach(async () => {
    await client.destroy();
    await fake.close();
  });

  it('retries 5xx answers and posts once', async () => {
    fake.injectServerError(/^\/channels\/\d+\/messages$/, 2, 502, { method: 'POST' });
    await ops().send('through two 502s');
    expect(fake.requestsTo('POST', /\/messages$/).map((r) => r.status)).toEqual([502, 502, 200]);
    expect(fake.channelMessages(OPS)).toHaveLength(1);
  });

  it('resumes after op 7 and after a dropped socket, replaying what it missed', async () => {
    fake.gateway.requestReconnect();
    // discord.js waits 500 ms before reconnecting; poll until it has resumed.
    await vi.waitFor(() => expect(fake.gateway.stats.resumes).toBe(1), { timeout: 5_000 });
    await fake.waitForGatewayReady();
    await fake.sendSlashCommand({ user: ALICE, name: 'ping' }).final();
    fake.gateway.dropConnections();
    // Sent while the socket is gone: replayed on RESUME.
    const missed = fake.sendSlashCommand({ user: ALICE, name: 'ping' });
    expect((await missed.final(5_000)).message?.content).toBe('pong');
    expect(fake.gateway.stats.resumes).toBe(2);
    expect(fake.gateway.stats.identifies).toBe(1);
  });

  it('fails REST calls while down and works again once up', async () => {
    fake.goDown();
    await expect(ops().send('into the void')).rejects.toThrow();
    fake.comeUp();
    await fake.waitForGatewayReady(5_000);
    await ops().send('back');
    expect(fake.channelMessages(OPS).map((m) => m.json.content)).toEqual(['back']);
  });

  it('ends its gateway session on destroy', async () => {
    await client.destroy();
    expect(fake.gateway.sessions.size).toBe(0);
  });
});
