import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { startFakeDiscord } from '../fakes/discord/index.js';
import type { FakeDiscord, InteractionHandle, MessageJson } from '../fakes/discord/index.js';
import { ADMIN_ROLE, ALICE, api, BOB, fixtureOptions, GUILD, OPS } from './fixture.js';
import { RawGatewayClient } from './raw-gateway.js';

describe('fake REST: interaction callbacks and webhooks', () => {
  let fake: FakeDiscord;
  let clock: FakeClock;
  let gw: RawGatewayClient;
  const callback = (h: InteractionHandle, body: unknown, query = '') => api(fake.apiUrl, 'POST', `/interactions/${h.id}/${h.token}/callback${query}`, body, {});
  const webhook = (h: InteractionHandle, method: string, suffix: string, body?: unknown) => api(fake.apiUrl, method, `/webhooks/${fake.appId}/${h.token}${suffix}`, body, {});

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 0, 5, 12));
    fake = await startFakeDiscord(fixtureOptions({ clock, interactionDeadlineMs: 3_000 }));
    gw = await RawGatewayClient.connect(fake.gatewayUrl);
    gw.identify();
    await fake.waitForGatewayReady();
  });
  afterEach(async () => {
    gw.terminate();
    await fake.close();
  });

  it('delivers a slash command shaped like Discord: member with roles and permissions, options, channel', async () => {
    const silence = {
      type: 1,
      name: 'silence',
      description: 'Silence',
      options: [
        { type: 3, name: 'id', description: 'Alert', required: true },
        { type: 4, name: 'minutes', description: 'For how long' },
      ],
    };
    await api(fake.apiUrl, 'PUT', `/applications/${fake.appId}/guilds/${GUILD}/commands`, [{ name: 'alerts', description: 'Alerts', options: [silence] }]);
    const h = fake.sendSlashCommand({ user: BOB, name: 'alerts', subcommand: 'silence', options: { id: 'A1', minutes: 30 } });
    const got = await gw.dispatch('INTERACTION_CREATE');
    expect(got.d).toEqual(h.payload);
    expect(h.payload).toMatchObject({
      type: 2,
      application_id: fake.appId,
      guild_id: GUILD,
      channel_id: OPS,
      channel: { id: OPS, type: 0 },
      member: { user: { id: BOB.id }, roles: [ADMIN_ROLE] },
      data: {
        id: fake.registeredCommands(GUILD)[0]!.id,
        name: 'alerts',
        options: [{ name: 'silence', type: 1, options: [{ name: 'id', type: 3, value: 'A1' }, { name: 'minutes', type: 4, value: 30 }] }],
      },
    });
    // BOB's role has ADMINISTRATOR (8): Discord then reports every permission.
    expect(BigInt(h.payload.member!.permissions!) & 8n).toBe(8n);
    expect(() => fake.sendSlashCommand({ user: BOB, name: 'alerts', subcommand: 'silence', options: {} })).toThrow(/required option/);
    expect(() => fake.sendSlashCommand({ user: BOB, name: 'alerts', subcommand: 'silence', options: { id: 'A1', minutes: 1.5 } })).toThrow(/type 4/);
  });

  it('answers 204 normally, the resource with with_response, and 40060 on a second callback', async () => {
    const h = fake.sendSlashCommand({ user: ALICE, name: 'status' });
    const first = await callback(h, { type: 4, data: { content: 'ok' } }, '?with_response=true');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      interaction: { id: h.id, type: 2, response_message_loading: false, response_message_ephemeral: false },
      resource: { type: 4, message: { content: 'ok', interaction_metadata: { id: h.id, user: { id: ALICE.id } } } },
    });
    expect(await callback(h, { type: 4, data: { content: 'again' } })).toMatchObject({ status: 400, json: { code: 40060 } });
    const h2 = fake.sendSlashCommand({ user: ALICE, name: 'status' });
    expect((await callback(h2, { type: 4, data: { content: 'ok' } })).status).toBe(204);
  });

  it('rejects a late first callback with 10062 and an expired token with 50027', async () => {
    const h = fake.sendSlashCommand({ user: ALICE, name: 'status' });
    clock.advance(3_001);
    expect(await callback(h, { type: 5 })).toMatchObject({ status: 404, json: { code: 10062, message: 'Unknown interaction' } });
    const h2 = fake.sendSlashCommand({ user: ALICE, name: 'status' });
    expect((await callback(h2, { type: 5 })).status).toBe(204);
    clock.advance(15 * 60_000 + 1);
    expect(await webhook(h2, 'PATCH', '/messages/@original', { content: 'too late' })).toMatchObject({ status: 401, json: { code: 50027 } });
  });

  it('lets the first follow-up after a deferral fill the placeholder, keeping its ephemerality', async () => {
    const h = fake.sendSlashCommand({ user: ALICE, name: 'status' });
    await callback(h, { type: 5, data: { flags: 64 } });
    expect(h.original()?.json.flags).toBe(64 | 128);
    const filled = (await webhook(h, 'POST', '?wait=true', { content: 'answer', flags: 0 })).json as MessageJson;
    expect(filled.id).toBe(h.original()?.json.id);
    expect(filled.flags).toBe(64);
    expect((await h.final()).message?.content).toBe('answer');
    const extra = (await webhook(h, 'POST', '', { content: 'more' })).json as MessageJson;
    expect(extra.id).not.toBe(filled.id);
    expect(h.followUps().map((m) => m.json.content)).toEqual(['more']);
    expect(fake.channelMessages(OPS).map((m) => m.json.content)).toEqual(['more']);
    expect((await webhook(h, 'GET', '/messages/@original')).json).toMatchObject({ id: filled.id });
  });

  it('validates callback types and autocomplete choices', async () => {
    const ac = fake.sendAutocomplete({ user: ALICE, name: 'funding', focused: 'symbol', options: { symbol: 'B' } });
    expect(ac.payload.data).toMatchObject({ options: [{ name: 'symbol', type: 3, value: 'B', focused: true }] });
    expect(await callback(ac, { type: 4, data: { content: 'no' } })).toMatchObject({ status: 400, json: { code: 50035 } });
    const tooMany = Array.from({ length: 26 }, (_, i) => ({ name: `s${i}`, value: `s${i}` }));
    expect((await callback(ac, { type: 8, data: { choices: tooMany } })).status).toBe(400);
    expect((await callback(ac, { type: 8, data: { choices: tooMany.slice(0, 25) } })).status).toBe(204);
    expect((await ac.reply()).data?.choices).toHaveLength(25);
  });

  it('builds a button click on a stored message and a DM interaction without member', async () => {
    const msg = (
      await api(fake.apiUrl, 'POST', `/channels/${OPS}/messages`, {
        content: 'alert',
        components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Ack', custom_id: 'ack:1' }, { type: 2, style: 2, label: 'Off', custom_id: 'off', disabled: true }] }],
      })
    ).json as MessageJson;
    const click = fake.clickButton({ messageId: msg.id, customId: 'ack:1', user: ALICE });
    expect(click.payload).toMatchObject({ type: 3, data: { custom_id: 'ack:1', component_type: 2 }, message: { id: msg.id }, guild_id: GUILD });
    expect(() => fake.clickButton({ messageId: msg.id, customId: 'off', user: ALICE })).toThrow(/disabled/);
    expect(() => fake.clickButton({ messageId: msg.id, customId: 'nope', user: ALICE })).toThrow(/no component/);
    await callback(click, { type: 6 });
    await webhook(click, 'PATCH', '/messages/@original', { content: 'acked', components: [] });
    expect((await click.final()).message).toMatchObject({ id: msg.id, content: 'acked' });

    const dm = fake.sendSlashCommand({ dm: true, user: ALICE, name: 'help' });
    expect(dm.payload).toMatchObject({ user: { id: ALICE.id }, channel: { type: 1 }, context: 1 });
    expect(dm.payload.member).toBeUndefined();
    expect(dm.payload.guild_id).toBeUndefined();
  });
});
