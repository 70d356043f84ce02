import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeDiscord } from '../fakes/discord/index.js';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { ALICE, fixtureOptions, GUILD, OPS } from './fixture.js';
import { RawGatewayClient } from './raw-gateway.js';

describe('fake gateway protocol', () => {
  let fake: FakeDiscord;
  const clients: RawGatewayClient[] = [];
  const connect = async (query?: string): Promise<RawGatewayClient> => {
    const c = await RawGatewayClient.connect(fake.gatewayUrl, query);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    fake = await startFakeDiscord(fixtureOptions({ heartbeatIntervalMs: 45_000 }));
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await fake.close();
  });

  it('says HELLO, acks heartbeats, and answers IDENTIFY with READY then GUILD_CREATE', async () => {
    const c = await connect();
    expect((await c.next((p) => p.op === 10)).d).toMatchObject({ heartbeat_interval: 45_000 });
    c.send(1, null);
    await c.next((p) => p.op === 11);
    c.identify();
    const ready = await c.dispatch('READY');
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({
      v: 10,
      user: { id: fake.botUser.id, bot: true },
      guilds: [{ id: GUILD, unavailable: true }],
      application: { id: fake.appId },
      resume_gateway_url: fake.gatewayUrl,
      shard: [0, 1],
    });
    const guild = await c.dispatch('GUILD_CREATE');
    expect(guild.s).toBe(2);
    expect(guild.d).toMatchObject({ id: GUILD, name: 'desk', channels: [{ id: OPS, name: 'ops', type: 0 }] });
    await fake.waitForGatewayReady();
    expect(fake.gateway.stats).toMatchObject({ connections: 1, identifies: 1, heartbeats: 1 });
  });

  it('closes with 4004 on a wrong token and 4003 on a dispatch before identify', async () => {
    const bad = await connect();
    bad.identify('not-the-token');
    expect(await bad.closed()).toBe(4004);
    const early = await connect();
    early.send(3, { status: 'online' });
    expect(await early.closed()).toBe(4003);
    const garbage = await connect();
    garbage.sendRaw('{not json');
    expect(await garbage.closed()).toBe(4002);
  });

  it('replays missed dispatches on RESUME, then sends RESUMED', async () => {
    const first = await connect();
    first.identify();
    const lastSeen = await first.dispatch('GUILD_CREATE');
    const sessionId = ((await first.dispatch('READY')).d as { session_id: string }).session_id;
    first.terminate();
    await first.closed();
    // Delivered while no socket is attached: kept for replay, like Discord does.
    const h = fake.sendSlashCommand({ user: ALICE, name: 'ping' });
    const second = await connect();
    second.send(6, { token: 'fake-bot-token', session_id: sessionId, seq: lastSeen.s });
    const replayed = await second.dispatch('INTERACTION_CREATE');
    expect((replayed.d as { id: string }).id).toBe(h.id);
    expect((await second.dispatch('RESUMED')).s).toBe((replayed.s ?? 0) + 1);
    expect(fake.gateway.stats.resumes).toBe(1);
  });

  it('answers RESUME of an unknown session with a non-resumable INVALID_SESSION', async () => {
    const c = await connect();
    c.send(6, { token: 'fake-bot-token', session_id: 'nope', seq: 3 });
    expect((await c.next((p) => p.op === 9)).d).toBe(false);
  });

  it('ends the session when the client closes with 1000', async () => {
    const c = await connect();
    c.identify();
    await c.dispatch('GUILD_CREATE');
    await c.close(1000);
    expect(fake.gateway.sessions.size).toBe(0);
    expect(() => fake.sendSlashCommand({ user: ALICE, name: 'ping' })).toThrow(/no gateway session/);
  });

  it('speaks zlib-stream when a client asks for it', async () => {
    const c = await connect('v=10&encoding=json&compress=zlib-stream');
    expect((await c.next((p) => p.op === 10)).op).toBe(10);
    c.identify();
    expect((await c.dispatch('GUILD_CREATE')).d).toMatchObject({ id: GUILD });
    expect(c.binaryFrames).toBe(c.received.length);
  });

  it('sends op 7 on request and stops acking heartbeats when told to', async () => {
    const c = await connect();
    c.identify();
    await c.dispatch('READY');
    fake.gateway.ackHeartbeats = false;
    c.send(1, 2);
    await vi.waitFor(() => expect(fake.gateway.stats.heartbeats).toBe(1));
    fake.gateway.requestReconnect();
    // Frames arrive in order: an ack, had there been one, would precede the op 7.
    await c.next((p) => p.op === 7);
    expect(c.received.filter((p) => p.op === 11)).toHaveLength(0);
  });
});
