import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord } from '../fakes/discord/index.js';
import type { FakeDiscord, MessageJson } from '../fakes/discord/index.js';
import { ADMIN_ROLE, ALICE, api, fixtureOptions, OPS } from './fixture.js';

describe('fake REST: channel messages', () => {
  let fake: FakeDiscord;
  let clock: FakeClock;
  const post = (body: unknown) => api(fake.apiUrl, 'POST', `/channels/${OPS}/messages`, body);

  beforeEach(async () => {
    clock = new FakeClock(Date.UTC(2026, 0, 5, 12));
    fake = await startFakeDiscord(fixtureOptions({ clock }));
  });
  afterEach(async () => {
    await fake.close();
  });

  it('requires the bot token and knows its routes', async () => {
    expect(await api(fake.apiUrl, 'GET', '/users/@me', undefined, {})).toMatchObject({ status: 401, json: { message: '401: Unauthorized', code: 0 } });
    expect((await api(fake.apiUrl, 'GET', '/users/@me', undefined, { authorization: 'Bot wrong' })).status).toBe(401);
    expect((await api(fake.apiUrl, 'GET', '/users/@me')).json).toMatchObject({ id: fake.botUser.id, bot: true });
    expect((await api(fake.apiUrl, 'GET', '/nowhere')).status).toBe(404);
    expect((await api(fake.apiUrl, 'PUT', `/channels/${OPS}/messages`, {})).status).toBe(405);
    expect(await api(fake.apiUrl, 'GET', '/channels/1999999999999999999')).toMatchObject({ status: 404, json: { code: 10003 } });
  });

  it('stores a message with a snowflake id, timestamp from the clock, and records the request', async () => {
    const res = await post({ content: 'hello' });
    const msg = res.json as MessageJson;
    expect(msg.id).toMatch(/^\d{17,20}$/);
    expect(msg).toMatchObject({ channel_id: OPS, content: 'hello', author: { id: fake.botUser.id }, timestamp: '2026-01-05T12:00:00.000Z' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: `/channels/${OPS}/messages`, version: 10, body: { content: 'hello' }, status: 200 });
    expect((await api(fake.apiUrl, 'GET', `/channels/${OPS}/messages/${msg.id}`)).json).toEqual(msg);
  });

  it('dedupes by nonce only with enforce_nonce, and only within the window', async () => {
    const a = (await post({ content: 'x', nonce: 'n1', enforce_nonce: true })).json as MessageJson;
    const b = (await post({ content: 'x', nonce: 'n1', enforce_nonce: true })).json as MessageJson;
    expect(b.id).toBe(a.id);
    clock.advance(5 * 60_000 + 1);
    const c = (await post({ content: 'x', nonce: 'n1', enforce_nonce: true })).json as MessageJson;
    expect(c.id).not.toBe(a.id);
    await post({ content: 'y', nonce: 'n2' });
    await post({ content: 'y', nonce: 'n2' });
    expect(fake.channelMessages(OPS).map((m) => m.json.content)).toEqual(['x', 'x', 'y', 'y']);
  });

  it("enforces Discord's message limits with its error shapes", async () => {
    expect(await post({ content: 'a'.repeat(2001) })).toMatchObject({
      status: 400,
      json: { code: 50035, message: 'Invalid Form Body', errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
    expect(await post({ content: '' })).toMatchObject({ status: 400, json: { code: 50006 } });
    const big = { embeds: [{ description: 'd'.repeat(4000) }, { description: 'd'.repeat(2001) }] };
    expect(await post(big)).toMatchObject({ status: 400, json: { errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] } } } });
    const fields = { embeds: [{ fields: Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: 'v' })) }] };
    expect(await post(fields)).toMatchObject({ status: 400, json: { errors: { embeds: { 0: { fields: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } } } });
    const dup = { components: [{ type: 1, components: [{ type: 2, style: 1, label: 'a', custom_id: 'x' }, { type: 2, style: 1, label: 'b', custom_id: 'x' }] }] };
    expect(await post(dup)).toMatchObject({ status: 400, json: { code: 50035 } });
    expect(fake.channelMessages(OPS)).toHaveLength(0);
  });

  it('resolves who gets pinged through allowed_mentions', async () => {
    const content = `<@${ALICE.id}> <@&${ADMIN_ROLE}> @everyone`;
    const quiet = (await post({ content, allowed_mentions: { parse: [] } })).json as MessageJson;
    expect(quiet).toMatchObject({ mentions: [], mention_roles: [], mention_everyone: false });
    const loud = (await post({ content })).json as MessageJson;
    expect(loud).toMatchObject({ mentions: [{ id: ALICE.id }], mention_roles: [ADMIN_ROLE], mention_everyone: true });
    const onlyAlice = (await post({ content, allowed_mentions: { users: [ALICE.id] } })).json as MessageJson;
    expect(onlyAlice).toMatchObject({ mentions: [{ id: ALICE.id }], mention_roles: [], mention_everyone: false });
  });

  it('captures multipart uploads and keeps or drops attachments on edit as Discord does', async () => {
    const form = new FormData();
    form.append('payload_json', JSON.stringify({ content: 'chart', attachments: [{ id: '0', description: 'pnl' }] }));
    form.append('files[0]', new Blob([Buffer.from('first')], { type: 'image/png' }), 'a.png');
    const res = await fetch(`${fake.apiUrl}/v10/channels/${OPS}/messages`, { method: 'POST', headers: { authorization: `Bot ${FAKE_BOT_TOKEN}` }, body: form });
    const msg = (await res.json()) as MessageJson;
    expect(msg.attachments).toMatchObject([{ filename: 'a.png', description: 'pnl', content_type: 'image/png', size: 5 }]);
    expect(fake.requests.at(-1)?.files.map((f) => [f.field, f.bytes.toString()])).toEqual([['files[0]', 'first']]);

    const edit = new FormData();
    edit.append('payload_json', JSON.stringify({ content: 'chart v2' }));
    edit.append('files[0]', new Blob([Buffer.from('second')], { type: 'image/png' }), 'b.png');
    await fetch(`${fake.apiUrl}/v10/channels/${OPS}/messages/${msg.id}`, { method: 'PATCH', headers: { authorization: `Bot ${FAKE_BOT_TOKEN}` }, body: edit });
    expect(fake.message(msg.id)?.files.map((f) => f.bytes.toString())).toEqual(['first', 'second']);

    const keepSecond = fake.message(msg.id)!.json.attachments[1]!.id;
    await api(fake.apiUrl, 'PATCH', `/channels/${OPS}/messages/${msg.id}`, { attachments: [{ id: keepSecond }] });
    expect(fake.message(msg.id)?.files.map((f) => f.bytes.toString())).toEqual(['second']);
    expect(fake.message(msg.id)?.history).toHaveLength(3);
  });

  it('lists channel messages newest first and waits for a matching one', async () => {
    const waiting = fake.waitForMessage(OPS, (m) => m.content.startsWith('third'));
    for (const content of ['first', 'second', 'third!']) await post({ content });
    expect((await waiting).json.content).toBe('third!');
    const list = (await api(fake.apiUrl, 'GET', `/channels/${OPS}/messages?limit=2`)).json as MessageJson[];
    expect(list.map((m) => m.content)).toEqual(['third!', 'second']);
    await expect(fake.waitForMessage(OPS, (m) => m.content === 'never', 20)).rejects.toThrow(/no matching message/);
  });
});
