import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeDiscord } from '../fakes/discord/index.js';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { api, fixtureOptions, GUILD, OPS } from './fixture.js';

describe('fake REST: faults and command registration', () => {
  let fake: FakeDiscord;
  const post = (content: string) => api(fake.apiUrl, 'POST', `/channels/${OPS}/messages`, { content });

  beforeEach(async () => {
    fake = await startFakeDiscord(fixtureOptions());
  });
  afterEach(async () => {
    await fake.close();
  });

  it("answers an injected 429 with Discord's body and headers, then recovers", async () => {
    fake.injectRateLimit(/^\/channels\/\d+\/messages$/, 2, 0.25, { method: 'POST' });
    const limited = await post('a');
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ message: 'You are being rate limited.', retry_after: 0.25, global: false });
    expect(Object.fromEntries([...limited.headers].filter(([k]) => k.startsWith('x-ratelimit') || k === 'retry-after'))).toMatchObject({
      'retry-after': '0.25',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': '0.250',
      'x-ratelimit-scope': 'user',
    });
    expect(limited.headers.get('x-ratelimit-global')).toBeNull();
    expect((await api(fake.apiUrl, 'GET', `/channels/${OPS}`)).status).toBe(200);
    expect((await post('b')).status).toBe(429);
    expect((await post('c')).status).toBe(200);
    expect(fake.rateLimitsServed).toBe(2);
    expect(fake.channelMessages(OPS).map((m) => m.json.content)).toEqual(['c']);
    expect(fake.requests.filter((r) => r.fault === 'rate-limit')).toHaveLength(2);
  });

  it('marks a global rate limit and serves scripted 5xx', async () => {
    fake.injectRateLimit(/./, 1, 1, { global: true });
    const res = await post('a');
    expect(res.json).toMatchObject({ global: true });
    expect(res.headers.get('x-ratelimit-global')).toBe('true');
    expect(res.headers.get('x-ratelimit-scope')).toBe('global');
    fake.injectServerError(/^\/channels\//, 1, 503);
    expect(await post('b')).toMatchObject({ status: 503, json: { code: 0 } });
    expect(fake.faults.serverErrorsServed).toBe(1);
  });

  it('resets connections while down and serves again after comeUp', async () => {
    fake.goDown();
    await expect(post('lost')).rejects.toThrow();
    expect(fake.gateway.stats.connections).toBe(0);
    fake.comeUp();
    expect((await post('back')).status).toBe(200);
    expect(fake.channelMessages(OPS).map((m) => m.json.content)).toEqual(['back']);
    fake.goDown(20);
    expect(fake.isDown).toBe(true);
    await vi.waitFor(() => expect(fake.isDown).toBe(false));
    expect((await post('after a timed outage')).status).toBe(200);
  });

  it('validates command definitions and keeps ids across bulk overwrites', async () => {
    const path = `/applications/${fake.appId}/guilds/${GUILD}/commands`;
    const bad = await api(fake.apiUrl, 'PUT', path, [{ name: 'Risk', description: 'x' }, { name: 'ok', description: '' }]);
    expect(bad).toMatchObject({ status: 400, json: { code: 50035, errors: { 0: { name: {} }, 1: { description: {} } } } });
    const order = await api(fake.apiUrl, 'PUT', path, [
      { name: 'risk', description: 'Risk', options: [{ type: 3, name: 'account', description: 'a' }, { type: 3, name: 'must', description: 'm', required: true }] },
    ]);
    expect(order.status).toBe(400);
    const both = await api(fake.apiUrl, 'PUT', path, [
      { name: 'funding', description: 'Funding', options: [{ type: 3, name: 'symbol', description: 's', autocomplete: true, choices: [{ name: 'BTC', value: 'BTC' }] }] },
    ]);
    expect(both.status).toBe(400);
    const first = (await api(fake.apiUrl, 'PUT', path, [{ name: 'status', description: 'Status' }, { name: 'help', description: 'Help' }])).json as { id: string; name: string }[];
    const second = (await api(fake.apiUrl, 'PUT', path, [{ name: 'status', description: 'Status, renamed text' }])).json as { id: string }[];
    expect(second[0]!.id).toBe(first[0]!.id);
    expect(fake.registeredCommands(GUILD).map((c) => c.name)).toEqual(['status']);
    expect(fake.registeredCommands()).toEqual([]);
    expect((await api(fake.apiUrl, 'PUT', `/applications/1/commands`, [])).status).toBe(403);
  });
});
