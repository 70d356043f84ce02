import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS_HASH_KEY, deployCommandsNow } from '../../src/discord/deploy-commands.js';
import { CallbackType, MessageFlags } from '../fakes/discord/index.js';
import { ADMIN, GUILD, OTHER_CHANNEL, OTHER_GUILD, startBot, startBotOn, user, type BotFixture } from './bot-fixture.js';
import { errorIdOf, median, messageText, roundTrips, slash } from './e2e-helpers.js';

/*
 * The real app (createApp on test/fixtures/discord-scenario.yaml = test/fixtures/scenario.yaml) and its
 * Discord transport, connected to the loopback fake of Discord's REST API and gateway. Numbers are the
 * scenario's, worked out by hand in test/e2e/entry-point.test.ts:
 *   acc-1 equity 10,000 avail 4,000 (60 %), BTC +1.0, ETH −5; acc-2 20,000 / 15,000 (25 %), BTC −0.8;
 *   acc-3 5,000 / 500 (90 %), ETH +4; BTC 50,000, ETH 2,000.
 *   BTC net 0.2, hedge 1, deviation 20 % (WARN); ETH net −1, hedge 5, deviation 20 % (CRITICAL);
 *   portfolio utilization 15,500 / 35,000 = 44.29 %; leverage 108,000 / 35,000 = 3.09x.
 * Each test uses its own user: the cooldown is 60 s per user.
 */
describe('slash commands through the fake Discord', () => {
  let f: BotFixture;
  let n = 0;
  const next = () => user(++n);

  beforeAll(async () => {
    f = await startBot();
  });
  afterAll(async () => {
    await f?.close();
    if (roundTrips.length) console.log(`slash-command round trips: n=${roundTrips.length}, median ${median(roundTrips).toFixed(1)} ms`);
  });

  it('registers the commands guild-scoped once and stores the hash', async () => {
    expect(f.fake.registeredCommands(GUILD).map((c) => c.name)).toEqual(['status', 'risk', 'positions', 'history', 'alerts', 'delta', 'utilization', 'funding', 'feeds', 'sync', 'audit', 'help']);
    expect(f.fake.registeredCommands().length).toBe(0);
    expect(f.fake.requestsTo('PUT', /\/applications\/\d+\/guilds\/\d+\/commands$/)).toHaveLength(1);
    expect(await f.app.store.kv.get(COMMANDS_HASH_KEY)).toMatch(/^[0-9a-f]{64}$/);
    expect(f.fake.registeredCommands(GUILD).find((c) => c.name === 'alerts')?.options?.map((o) => o.name)).toEqual(['list', 'ack', 'resolve', 'silence', 'unsilence']);
  });

  it('/status: accounts, net delta and deviation per symbol, portfolio utilization, last sync', async () => {
    const r = await slash(f.fake, { name: 'status', user: next() });
    expect(r.callback.type).toBe(CallbackType.ChannelMessageWithSource);
    expect(r.ephemeral).toBe(false);
    expect(r.text).toMatch(/Last sync #1 at \d{4}-\d\d-\d\dT[\d:]+Z \(\d+s ago\): 3 ok, 0 failed/);
    expect(r.text).toContain('Portfolio equity $35,000.00 · utilization 44.29% · uPnL $0.00');
    expect(r.text).toMatch(/acc-1\s+paper\s+\$10,000\.00\s+\$4,000\.00\s+60\.0%\s+\$0\.00\s+ok/);
    expect(r.text).toMatch(/acc-2\s+paper\s+\$20,000\.00\s+\$15,000\.00\s+25\.0%/);
    expect(r.text).toMatch(/acc-3\s+paper\s+\$5,000\.00\s+\$500\.00\s+90\.0%/);
    expect(r.text).toMatch(/BTC\s+0\.2\s+\$10,000\.00\s+1\s+20\.00%\s+5%\s+WARN/);
    expect(r.text).toMatch(/ETH\s+-1\s+-\$2,000\.00\s+5\s+20\.00%\s+5%\s+CRITICAL/);
    expect((r.message?.embeds[0] as { color?: number }).color).toBe(0xe74c3c);
  });

  it('/status: uptime, services with heartbeat and errors, performance, open alerts by severity, feeds, instance', async () => {
    const r = await slash(f.fake, { name: 'status', user: next() });
    expect(r.text).toMatch(/System HEALTHY · uptime \d+s · 3 of 3 accounts synced/);
    expect(r.text).toMatch(/Performance: avg response \d+\.\d\d ms over \d+ commands and API requests \(\d+\.\d\d\/s\) · ticks \d+\/min \(\d+ total\) · memory \d+\.\d MB · CPU \d+\.\d%/);
    // The scenario raises ETH delta (CRITICAL), BTC delta and acc-3 utilization (WARN).
    expect(r.text).toContain('Open alerts: 1 CRITICAL · 2 WARN · 0 INFO');
    expect(r.text).toContain('Feeds: every symbol on its primary feed');
    expect(r.text).toMatch(/Instance \S+ \(single instance\)/);
    // The services table: the Discord connector reports to the same model (connected, REST answers).
    expect(r.text).toMatch(/sync\s+healthy\s+\d+s ago\s+0/);
    expect(r.text).toMatch(/discord\s+healthy\s+\d+s ago\s+0\s+connected/);
    expect(r.text).toMatch(/outbox\s+healthy\s+\d+s ago\s+0/);
    expect(r.text).toMatch(/scheduler\s+healthy\s+\d+s ago\s+0/);
    expect(r.text).toMatch(/http\s+off\s+—\s+0/);
    const system = await f.app.system();
    expect(system.services.find((s) => s.name === 'discord')).toMatchObject({ status: 'healthy', errorCount: 0 });
    // Every answer so far was timed: /status counts the commands answered before it.
    expect(system.totalOperations).toBeGreaterThanOrEqual(2);
    // The REST calls to Discord (command registration, interaction callbacks) are timed into /metrics.
    const metrics = await f.app.metrics.render();
    expect(Number(/^delta_ops_discord_rest_duration_seconds_count\{method="POST",status="204"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^delta_ops_discord_rate_limited_total 0$/m);
    expect(metrics).toMatch(/^delta_ops_command_duration_seconds_count\{command="status"\} \d+$/m);
  });

  it('/risk: portfolio fields and tables; /risk account:acc-3', async () => {
    const p = await slash(f.fake, { name: 'risk', user: next() });
    const fields = (p.message?.embeds[0] as { fields: { name: string; value: string }[] }).fields;
    // One tick of price history: too few returns for a VaR estimate, said as such rather than "$0.00".
    expect(Object.fromEntries(fields.map((x) => [x.name, x.value.replace(/\\/g, '')]))).toMatchObject({ 'Total equity': '$35,000.00', Utilization: '44.29%', Leverage: '3.09x', '1-day VaR 95% (net)': 'not available yet' });
    expect(p.text).toMatch(/acc-3\s+medium\s+90\.0%\s+1\.60x/);
    expect(p.text).toMatch(/ETH\s+-1\s+-\$2,000\.00\s+20\.00%/);

    const a = await slash(f.fake, { name: 'risk', user: next(), options: { account: 'acc-3' } });
    const af = Object.fromEntries((a.message?.embeds[0] as { fields: { name: string; value: string }[] }).fields.map((x) => [x.name, x.value]));
    expect((a.message?.embeds[0] as { title: string }).title).toBe('Risk — acc-3 (paper)');
    expect(af).toMatchObject({ Equity: '$5,000.00', Available: '$500.00', Used: '$4,500.00', Utilization: '90.00%', Leverage: '1.60x', 'Gross notional': '$8,000.00' });
  });

  it('/risk with an unknown account: ephemeral 1001 with an error id that is in the log', async () => {
    const r = await slash(f.fake, { name: 'risk', user: next(), options: { account: 'nope' } });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('Error 1001');
    const id = errorIdOf(r.text);
    expect(id).toBeDefined();
    expect(f.logs.some((l) => l.errorId === id && l.code === 1001)).toBe(true);
  });

  it('/delta plan: reduce the long first, lot-rounded, slippage price and fee; ETH blocked with 1002', async () => {
    const btc = await slash(f.fake, { name: 'delta', subcommand: 'plan', user: next(), options: { symbol: 'BTC' } });
    expect(btc.text).toContain('Net 0.2 → 0 BTC (target 0) · deviation 20.00% → 0.00%');
    expect(btc.text).toMatch(/acc-1\s+SELL\s+0\.2\s+0\.2 BTC-PERP\s+49,750\s+\$9,950\.00\s+\$3\.98\s+reduce/);
    const eth = await slash(f.fake, { name: 'delta', subcommand: 'plan', user: next(), options: { symbol: 'ETH' } });
    expect(eth.text).toContain('BLOCKED (error 1002)');
    expect(eth.text).toMatch(/acc-1\s+BUY\s+1\s+1 ETH-PERP\s+2,010\s+\$2,010\.00\s+\$1\.01\s+reduce/);
  });

  it('/utilization with default and given target/tolerance', async () => {
    const d = await slash(f.fake, { name: 'utilization', user: next() });
    expect(d.text).toMatch(/acc-1\s+\$10,000\.00\s+\$6,000\.00\s+60\.0%\s+-20\.0%\s+increase\s+-\$2,000\.00/);
    expect(d.text).toMatch(/acc-3\s+\$5,000\.00\s+\$4,500\.00\s+90\.0%\s+20\.0%\s+decrease\s+\$1,000\.00/);
    expect(d.text).toMatch(/acc-2\s+acc-3\s+\$1,000\.00/);
    // target 0.5: acc-3 (0.9 − 0.5) / 0.5 = +80 %, adjust 4,500 / 0.5 − 5,000 = +4,000, covered by acc-2.
    const t = await slash(f.fake, { name: 'utilization', user: next(), options: { target: 0.5, tolerance: 0.2 } });
    expect(t.text).toContain('target 50% ± 20%');
    expect(t.text).toMatch(/acc-3\s+\$5,000\.00\s+\$4,500\.00\s+90\.0%\s+80\.0%\s+decrease\s+\$4,000\.00/);
    expect(t.text).toMatch(/acc-2\s+acc-3\s+\$4,000\.00/);
  });

  it('/funding and /funding symbol:ETH', async () => {
    const all = await slash(f.fake, { name: 'funding', user: next() });
    expect(all.text).toContain('Net carry -$0.20 per 8 h');
    expect(all.text).toMatch(/ETH\s+paper\s+0\.0400%/);
    const eth = await slash(f.fake, { name: 'funding', user: next(), options: { symbol: 'eth' } });
    expect((eth.message?.embeds[0] as { title: string }).title).toBe('Funding — ETH');
    expect(eth.text).not.toMatch(/BTC\s+paper/);
  });

  it('/feeds and /help (ephemeral)', async () => {
    const feeds = await slash(f.fake, { name: 'feeds', user: next() });
    expect(feeds.text).toMatch(/BTC\s+paper\s+50,000/);
    expect(feeds.text).toMatch(/ETH\s+paper\s+2,000/);
    const help = await slash(f.fake, { name: 'help', user: next() });
    expect(help.ephemeral).toBe(true);
    expect(help.message?.flags ?? 0).toBe(MessageFlags.Ephemeral);
    for (const c of ['/status', '/risk', '/alerts ack', '/delta plan', '/utilization', '/funding', '/feeds', '/help']) expect(help.text).toContain(c);
  });

  it('autocomplete: accounts and symbols from the snapshot, alert ids from the service', async () => {
    const acc = await f.fake.sendAutocomplete({ name: 'risk', user: next(), focused: 'account', options: { account: 'acc' } }).reply();
    expect(acc.type).toBe(CallbackType.AutocompleteResult);
    expect(acc.data?.choices?.map((c) => c.value)).toEqual(['acc-1', 'acc-2', 'acc-3']);
    const sym = await f.fake.sendAutocomplete({ name: 'funding', user: next(), focused: 'symbol', options: { symbol: 'e' } }).reply();
    expect(sym.data?.choices).toEqual([{ name: 'ETH', value: 'ETH' }]);
    const ids = await f.fake.sendAutocomplete({ name: 'alerts', subcommand: 'ack', user: next(), focused: 'id' }).reply();
    const active = (await f.app.alerts.list({ state: 'active' })).map((a) => a.shortId);
    expect(active.length).toBe(3);
    expect(ids.data?.choices?.map((c) => c.value).sort()).toEqual([...active].sort());
    // Answered from memory: the snapshot is still the one of the start-up tick.
    expect(f.app.engine.snapshot()?.seq).toBe(1);
  });

  it('/feeds failover: autocomplete of the symbol\'s feeds; refused for a non-admin (3001, audited), done for an admin', async () => {
    const ac = await f.fake.sendAutocomplete({ name: 'feeds', user: next(), focused: 'source', options: { symbol: 'BTC', source: '' } }).reply();
    expect(ac.data?.choices?.map((c) => c.value)).toEqual(['paper', 'auto']);
    const bob = next();
    const refused = await slash(f.fake, { name: 'feeds', user: bob, options: { symbol: 'BTC', source: 'paper', reason: 'test' } });
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain('Error 3001');
    expect(errorIdOf(refused.text)).toBeDefined();
    // The refusal is audited without holding up the reply: wait for it.
    await expect.poll(() => f.app.alerts.auditLog({ actorId: bob.id })).toMatchObject([{ action: 'failover', outcome: 'refused' }]);
    const done = await slash(f.fake, { name: 'feeds', user: ADMIN, options: { symbol: 'BTC', source: 'paper', reason: 'pin for the test' } });
    expect(done.text).toContain('BTC pinned to paper');
    expect((await f.app.alerts.auditLog({ actorId: ADMIN.id }))[0]).toMatchObject({ action: 'failover', outcome: 'done' });
  });

  it('per-user cooldown: a second command within 60 s gets an ephemeral 3002 with an error id', async () => {
    const u = next();
    expect((await slash(f.fake, { name: 'feeds', user: u })).ephemeral).toBe(false);
    const again = await slash(f.fake, { name: 'status', user: u });
    expect(again.ephemeral).toBe(true);
    expect(again.text).toContain('Error 3002');
    expect(again.text).toContain('Too many requests');
    const id = errorIdOf(again.text);
    expect(f.logs.some((l) => l.errorId === id && l.code === 3002)).toBe(true);
  });

  it('DMs and other servers are refused (3001, ephemeral)', async () => {
    const dm = await slash(f.fake, { name: 'status', user: next(), dm: true });
    expect(dm.ephemeral).toBe(true);
    expect(dm.text).toContain('Error 3001');
    expect(dm.text).toContain('not in direct messages');
    const other = await slash(f.fake, { name: 'status', user: next(), guildId: OTHER_GUILD, channelId: OTHER_CHANNEL });
    expect(other.ephemeral).toBe(true);
    expect(other.text).toContain('not enabled in this server');
    const ac = await f.fake.sendAutocomplete({ name: 'risk', user: next(), focused: 'account', dm: true }).reply();
    expect(ac.data?.choices).toEqual([]);
  });

  it('nothing internal reaches Discord: no stack, path or token in any message', () => {
    const everything = f.fake.requests.map((r) => JSON.stringify(r.body ?? '')).join('\n');
    expect(everything).not.toMatch(/\/work\/|node_modules|at .+\(.+:\d+:\d+\)|fake-bot-token/);
    expect(messageText(null)).toBe('');
  });
});

describe('command registration across restarts', () => {
  it('a restart with unchanged definitions does not register again; deploy-commands always does', async () => {
    const f = await startBot();
    try {
      const puts = () => f.fake.requestsTo('PUT', /\/applications\/\d+\/guilds\/\d+\/commands$/).length;
      expect(puts()).toBe(1);
      await f.stopBot();
      const again = await startBotOn(f.fake, { dbPath: f.dbPath });
      try {
        expect(again.bot.commands?.registered).toBe(false);
        expect(puts()).toBe(1);
        const forced = await deployCommandsNow(again.app);
        expect(forced).toMatchObject({ registered: true, count: 12, scope: 'guild' });
        expect(puts()).toBe(2);
      } finally {
        await again.stopBot();
      }
    } finally {
      await f.fake.close();
    }
  });
});
