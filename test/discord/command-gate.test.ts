import { describe, expect, it } from 'vitest';
import { suggest, type SuggestionSources } from '../../src/discord/autocomplete.js';
import { accessPolicy, actorOf, CommandGate, isAdmin, type Requester } from '../../src/discord/command-gate.js';
import { Cooldown } from '../../src/discord/cooldown.js';
import { rejectLongChannelWaits } from '../../src/discord/rest.js';
import { FakeClock } from '../../src/core/clock.js';
import type { Snapshot } from '../../src/core/types.js';

const GUILD = '1200000000000000001';
const OTHER_GUILD = '1200000000000000099';
const ADMIN_ROLE = '1300000000000000001';
const ADMIN_USER = '1400000000000000009';

const policy = accessPolicy({ ALLOWED_GUILD_IDS: [], DISCORD_GUILD_ID: GUILD, ADMIN_ROLE_IDS: [ADMIN_ROLE], ADMIN_USER_IDS: [ADMIN_USER] });
const who = (over: Partial<Requester> = {}): Requester => ({ userId: '1400000000000000001', userName: 'ann', guildId: GUILD, channelId: '1500000000000000001', roleIds: [], ...over });

describe('CommandGate', () => {
  const setup = (cooldownMs = 2000) => {
    const clock = new FakeClock();
    return { clock, gate: new CommandGate(policy, new Cooldown(cooldownMs, clock)) };
  };

  it('runs a command in the allowed guild with an actor carrying the source', () => {
    const { gate } = setup();
    const d = gate.check(who());
    expect(d).toEqual({ ok: true, actor: { id: '1400000000000000001', name: 'ann', source: `discord:${GUILD}/1500000000000000001`, isAdmin: false } });
  });

  it('refuses DMs and other guilds (3001); DISCORD_GUILD_ID is the default allow-list', () => {
    const { gate } = setup();
    expect(gate.check(who({ guildId: null }))).toMatchObject({ ok: false, refusal: { code: 3001, reason: 'dm' } });
    expect(gate.check(who({ guildId: OTHER_GUILD, userId: '2' }))).toMatchObject({ ok: false, refusal: { code: 3001, reason: 'guild' } });
    const open = new CommandGate(accessPolicy({ ALLOWED_GUILD_IDS: [], DISCORD_GUILD_ID: undefined, ADMIN_ROLE_IDS: [], ADMIN_USER_IDS: [] }), new Cooldown(0, new FakeClock()));
    expect(open.check(who({ guildId: OTHER_GUILD })).ok).toBe(true);
    const listed = accessPolicy({ ALLOWED_GUILD_IDS: [OTHER_GUILD], DISCORD_GUILD_ID: GUILD, ADMIN_ROLE_IDS: [], ADMIN_USER_IDS: [] });
    expect(listed.allowedGuildIds).toEqual([OTHER_GUILD]);
  });

  it('cools each user down (3002) by the injected clock; other users are unaffected', () => {
    const { gate, clock } = setup(2000);
    expect(gate.check(who()).ok).toBe(true);
    clock.advance(500);
    expect(gate.check(who())).toMatchObject({ ok: false, refusal: { code: 3002, reason: 'cooldown', message: 'Too many requests: wait 2 s before the next command.' } });
    expect(gate.check(who({ userId: '1400000000000000002' })).ok).toBe(true);
    clock.advance(1499);
    expect(gate.check(who()).ok).toBe(false);
    clock.advance(1);
    expect(gate.check(who()).ok).toBe(true);
  });

  it('a refused attempt does not extend the wait', () => {
    const { gate, clock } = setup(1000);
    gate.check(who());
    clock.advance(900);
    gate.check(who());
    clock.advance(100);
    expect(gate.check(who()).ok).toBe(true);
  });

  it('the actor is an admin with an admin role or as an admin user', () => {
    const { gate } = setup(0);
    expect(gate.check(who())).toMatchObject({ ok: true, actor: { isAdmin: false } });
    expect(gate.check(who({ roleIds: ['1300000000000000777', ADMIN_ROLE] }))).toMatchObject({ ok: true, actor: { isAdmin: true } });
    expect(gate.check(who({ userId: ADMIN_USER }))).toMatchObject({ ok: true, actor: { isAdmin: true } });
    expect(isAdmin(who({ roleIds: ['1300000000000000777'] }), policy)).toBe(false);
  });

  it('an admin role means nothing in a DM', () => {
    expect(actorOf(who({ guildId: null, roleIds: [ADMIN_ROLE] }), policy).isAdmin).toBe(false);
  });
});

describe('suggest (autocomplete)', () => {
  const snapshot = {
    seq: 1,
    takenAt: 0,
    accounts: [
      { id: 'acc-1', venue: 'paper', label: 'acc-1', status: 'ok', consecutiveFailures: 0, state: { balance: { equity: 1, available: 1 }, positions: [{ symbol: 'SOL' }] } },
      { id: 'binance-main', venue: 'binance', label: 'Main', status: 'ok', consecutiveFailures: 0 },
    ],
    prices: { BTC: { symbol: 'BTC', mark: 1, ts: 0, source: 'paper' }, ETH: { symbol: 'ETH', mark: 1, ts: 0, source: 'binance' } },
    feeds: [
      { symbol: 'BTC', primary: 'binance', active: 'paper', activeReason: 'failover', feeds: [{ name: 'binance', state: 'failing' }, { name: 'paper', state: 'healthy' }] },
      { symbol: 'ETH', primary: 'aster', active: 'aster', activeReason: 'primary', feeds: [{ name: 'aster', state: 'healthy' }] },
    ],
    markets: {},
    funding: {},
  } as unknown as Snapshot;
  const src: SuggestionSources = {
    snapshot: () => snapshot,
    accountIds: ['acc-1'],
    activeAlerts: async () => [{ shortId: 'k3v9', severity: 'CRITICAL', type: 'delta', symbol: 'ETH', summary: 'deviation 20.0% > 10.0%' }],
  };

  it('accounts and symbols from the snapshot, prefix matches first, case-insensitive', async () => {
    expect(await suggest('account', '', src)).toEqual([{ name: 'acc-1 (paper)', value: 'acc-1' }, { name: 'binance-main — Main (binance)', value: 'binance-main' }]);
    expect((await suggest('account', 'MAIN', src)).map((c) => c.value)).toEqual(['binance-main']);
    expect((await suggest('symbol', '', src)).map((c) => c.value)).toEqual(['BTC', 'ETH', 'SOL']);
    expect((await suggest('symbol', 'e', src)).map((c) => c.value)).toEqual(['ETH']);
    expect(await suggest('alert', 'k3', src)).toEqual([{ name: 'k3v9 CRITICAL delta · ETH — deviation 20.0% > 10.0%', value: 'k3v9' }]);
  });

  it('feed sources of the symbol already given, or all of them, then auto', async () => {
    expect(await suggest('feed', '', src, { symbol: 'btc-perp' })).toEqual([
      { name: 'binance — failing', value: 'binance' },
      { name: 'paper — healthy, active', value: 'paper' },
      { name: 'auto — back to automatic choice', value: 'auto' },
    ]);
    expect((await suggest('feed', '', src)).map((c) => c.value)).toEqual(['aster', 'binance', 'paper', 'auto']);
    expect((await suggest('feed', 'au', src)).map((c) => c.value)).toEqual(['auto']);
  });

  it('falls back to configured accounts before the first sync; at most 25 choices of ≤ 100 characters', async () => {
    expect(await suggest('account', '', { snapshot: () => undefined, accountIds: ['a', 'b'] })).toEqual([{ name: 'a', value: 'a' }, { name: 'b', value: 'b' }]);
    const many: SuggestionSources = { snapshot: () => undefined, accountIds: Array.from({ length: 60 }, (_, i) => `acc-${i}-${'x'.repeat(150)}`) };
    const out = await suggest('account', '', many);
    expect(out).toHaveLength(25);
    expect(out.every((c) => c.name.length <= 100 && c.value.length <= 100)).toBe(true);
  });
});

describe('rate limits', () => {
  it('only long waits on channel routes are handed back to the outbox', () => {
    const data = { timeToReset: 6000, limit: 5, method: 'POST', hash: 'h', url: 'u', route: '/channels/1/messages', majorParameter: '1', global: false, retryAfter: 6000, sublimitTimeout: 0, scope: 'user' as const };
    expect(rejectLongChannelWaits(data)).toBe(true);
    expect(rejectLongChannelWaits({ ...data, retryAfter: 1000, timeToReset: 1000 })).toBe(false);
    expect(rejectLongChannelWaits({ ...data, route: '/interactions/1/t/callback' })).toBe(false);
  });
});
