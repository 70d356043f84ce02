import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackType, type SlashCommandInput } from '../fakes/discord/index.js';
import { ADMIN_ROLE, startBot, user, type BotFixture } from './bot-fixture.js';
import { errorIdOf, messageText, slash } from './e2e-helpers.js';
import { parsePng } from './png.js';

/*
 * /positions, /history, /sync and /audit through the fake Discord, on test/fixtures/discord-desk.yaml.
 * Marks BTC 60,000 and ETH 3,000 throughout; funding BTC 0.01 % per 8 h, ETH 0.005 % per hour = 0.04 % per 8 h.
 *
 * Tick 1 (at start):
 *   desk-a equity 20,000, available 8,000 (60 %):
 *     BTC +0.5 entry 58,000 liq 45,000: notional 30,000; uPnL (60,000 − 58,000) × 0.5 = 1,000;
 *       liq dist 15,000 / 60,000 = 25.0 %; lev 30,000 / 20,000 = 1.50x; funding −0.5 × 60,000 × 0.0001 = −3.00
 *     ETH −4 entry 3,100 liq 3,600: notional −12,000; uPnL (3,000 − 3,100) × −4 = +400;
 *       liq dist 600 / 3,000 = 20.0 %; lev 0.60x; funding 4 × 3,000 × 0.0004 = +4.80
 *     → gross 42,000, leverage 2.10x, uPnL 1,400
 *   desk-b equity 30,000, available 21,000 (30 %):
 *     BTC −0.45 entry 61,000: notional −27,000; uPnL (60,000 − 61,000) × −0.45 = +450; no liq; 0.90x; +2.70
 *     ETH +4 entry 2,950 liq 2,100: notional 12,000; uPnL +200; liq dist 900 / 3,000 = 30.0 %; 0.40x; −4.80
 *   desk-c equity 5,000, available 4,000, no positions.
 *   Book: gross 81,000, uPnL 2,050, funding −3.00 + 4.80 + 2.70 − 4.80 = −0.30 per 8 h (= /funding's net carry:
 *   BTC net 0.05 × 60,000 × 0.0001). Portfolio: equity 55,000, used 12,000 + 9,000 + 1,000 = 22,000 → 40.00 %,
 *   leverage 81,000 / 55,000 = 1.47x, drawdown 0. BTC net 0.05 / hedge 0.5 = 10.00 %; ETH net 0 → 0.00 %.
 * Tick 2 (the first /sync): desk-a equity 16,000, available 4,000 → 75.00 %, leverage 42,000 / 16,000 = 2.63x,
 *   drawdown (20,000 − 16,000) / 20,000 = 20.00 %. Portfolio 51,000, used 22,000 → 43.14 %, 81,000 / 51,000 =
 *   1.59x, drawdown 4,000 / 55,000 = 7.27 %.
 * Tick 3 (/sync account:desk-b): desk-b's sync fails (2002); its last good positions stay, marked stale.
 * Each command uses its own user: the cooldown is 60 s per user.
 */
describe('/positions, /history, /sync and /audit through the fake Discord', () => {
  let f: BotFixture;
  let n = 0;
  const next = () => user(++n);
  const admin = (): { user: ReturnType<typeof user>; roles: string[] } => ({ user: next(), roles: [ADMIN_ROLE] });
  const row = (...cells: string[]): RegExp => new RegExp(cells.map((c) => c.replace(/[$.*+?()[\]{}|^\\]/g, '\\$&')).join('\\s+'));

  /** A slash command's answer and the files attached to it (reply or edited placeholder). */
  async function withFiles(input: SlashCommandInput): Promise<{ text: string; ephemeral: boolean; files: { filename: string; bytes: Buffer; contentType: string }[]; image?: string }> {
    const h = f.fake.sendSlashCommand(input);
    const out = await h.final();
    const embeds = (out.message?.embeds ?? []) as { image?: { url?: string } }[];
    return { text: messageText(out.message), ephemeral: out.ephemeral, files: h.original()?.files ?? [], image: embeds[0]?.image?.url };
  }

  beforeAll(async () => {
    f = await startBot({ config: 'test/fixtures/discord-desk.yaml' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('/positions: every position, largest |notional| first, with liquidation, leverage and funding per 8 h', async () => {
    const r = await slash(f.fake, { name: 'positions', user: next() });
    expect(r.callback.type).toBe(CallbackType.ChannelMessageWithSource);
    expect(r.text).toContain('4 positions · gross notional $81,000.00 · uPnL $2,050.00 · funding -$0.30 per 8 h');
    expect(r.text).toMatch(row('desk-a', 'paper', 'BTC', 'LONG', '0.5', '58,000', '60,000', '$30,000.00', '$1,000.00', '45,000', '25.0%', '1.50x', '-$3.00'));
    expect(r.text).toMatch(row('desk-b', 'paper', 'BTC', 'SHORT', '-0.45', '61,000', '60,000', '-$27,000.00', '$450.00', '—', '—', '0.90x', '+$2.70'));
    expect(r.text).toMatch(row('desk-a', 'paper', 'ETH', 'SHORT', '-4', '3,100', '3,000', '-$12,000.00', '$400.00', '3,600', '20.0%', '0.60x', '+$4.80'));
    expect(r.text).toMatch(row('desk-b', 'paper', 'ETH', 'LONG', '4', '2,950', '3,000', '$12,000.00', '$200.00', '2,100', '30.0%', '0.40x', '-$4.80'));
    // Sorted by |notional|: 30,000, 27,000, then the 12,000 tie by account.
    const order = ['desk-a   paper  BTC', 'desk-b   paper  BTC', 'desk-a   paper  ETH', 'desk-b   paper  ETH'].map((s) => r.text.indexOf(s));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    // The same book as /funding's net carry and /risk's leverage of desk-a (1.50 + 0.60 = 2.10x).
    expect((await slash(f.fake, { name: 'funding', user: next() })).text).toContain('Net carry -$0.30 per 8 h');
    expect((await slash(f.fake, { name: 'risk', user: next(), options: { account: 'desk-a' } })).text).toContain('2.10x');
  });

  it('/positions account: and symbol: (case-insensitive), and their autocomplete', async () => {
    const b = await slash(f.fake, { name: 'positions', user: next(), options: { account: 'DESK-B', symbol: 'eth-perp' } });
    expect(b.text).toContain('Positions — desk-b · ETH');
    expect(b.text).toContain('1 position · gross notional $12,000.00 · uPnL $200.00 · funding -$4.80 per 8 h');
    expect(b.text).not.toContain('BTC  ');
    const unknown = await slash(f.fake, { name: 'positions', user: next(), options: { account: 'nope' } });
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.text).toContain('Error 1001');
    const acc = await f.fake.sendAutocomplete({ name: 'positions', user: next(), focused: 'account', options: { account: 'desk' } }).reply();
    expect(acc.data?.choices?.map((c) => c.value)).toEqual(['desk-a', 'desk-b', 'desk-c']);
    const sym = await f.fake.sendAutocomplete({ name: 'positions', user: next(), focused: 'symbol', options: { symbol: 'b' } }).reply();
    expect(sym.data?.choices).toEqual([{ name: 'BTC', value: 'BTC' }]);
  });

  it('/sync: refused for a non-admin (3001, ephemeral, audited); an admin gets the synced accounts and the time', async () => {
    const bob = next();
    const refused = await slash(f.fake, { name: 'sync', user: bob });
    expect(refused.callback.type).toBe(CallbackType.ChannelMessageWithSource);
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain('Error 3001');
    expect(f.logs.some((l) => l.errorId === errorIdOf(refused.text) && l.code === 3001)).toBe(true);
    await expect.poll(() => f.app.alerts.auditLog({ actorId: bob.id })).toMatchObject([{ action: 'sync', outcome: 'refused', actorName: bob.username, target: '(none)' }]);
    expect(f.app.engine.snapshot()?.seq).toBe(1);

    const done = await slash(f.fake, { name: 'sync', ...admin() });
    // slow: deferred first, then the placeholder is edited with the answer.
    expect(done.callback.type).toBe(CallbackType.DeferredChannelMessageWithSource);
    expect(done.ephemeral).toBe(false);
    expect(done.text).toContain('Sync: 3 synced, 0 failed');
    expect(done.text).toMatch(/Tick #2 took \d+ ms/);
    expect(done.text).toContain('Synced: desk-a, desk-b, desk-c');
    expect(f.app.engine.snapshot()?.seq).toBe(2);
  });

  it('/history account:desk-a: both ticks as a table (newest first) and a valid PNG chart', async () => {
    const r = await withFiles({ name: 'history', user: next(), options: { account: 'desk-a' } });
    expect(r.text).toContain('History — desk-a since 24h');
    expect(r.text).toContain('2 sample times from');
    const tick2 = r.text.search(row('75.00%', '$16,000.00', '2.63x', '$1,400.00', '20.00%'));
    const tick1 = r.text.search(row('60.00%', '$20,000.00', '2.10x', '$1,400.00', '0.00%'));
    expect(tick2).toBeGreaterThan(0);
    expect(tick1).toBeGreaterThan(tick2);
    // The chart: one panel per metric (5 × 260 px), shown in the embed.
    expect(r.files.map((x) => [x.filename, x.contentType])).toEqual([['history-desk-a.png', 'image/png']]);
    expect(r.files[0]!.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(parsePng(r.files[0]!.bytes)).toMatchObject({ width: 1000, height: 1300, bitDepth: 8 });
    expect(r.image).toBe('attachment://history-desk-a.png');
  });

  it('/history (portfolio): its numbers; the deviation and net delta per symbol; since: and limit:', async () => {
    const p = await withFiles({ name: 'history', user: next() });
    expect(p.text).toMatch(row('43.14%', '$51,000.00', '1.59x', '$2,050.00', '7.27%'));
    expect(p.text).toMatch(row('40.00%', '$55,000.00', '1.47x', '$2,050.00', '0.00%'));
    expect(p.text).toContain('Per symbol: metric:deviation or metric:netDelta.');
    // Five portfolio panels: 5 × 260 px.
    expect(parsePng(p.files[0]!.bytes)).toMatchObject({ width: 1000, height: 1300 });

    // Deviation per symbol: BTC 0.05 / 0.5 = 10.00 %, ETH 0.00 % at both ticks.
    const dev = await withFiles({ name: 'history', user: next(), options: { metric: 'deviation' } });
    expect(dev.text).toContain('Deviation per symbol');
    expect(dev.text.match(/Z\s+10\.00%\s+0\.00%/g)).toHaveLength(2);
    expect(parsePng(dev.files[0]!.bytes)).toMatchObject({ width: 1000, height: 260 });

    const net = await withFiles({ name: 'history', user: next(), options: { metric: 'netDelta', since: '2d', limit: 1 } });
    expect(net.text).toContain('History — portfolio since 2d');
    expect(net.text).toContain('2 sample times from');
    expect(net.text).toContain('the table shows the last one.');
    // Net delta per symbol: BTC 0.5 − 0.45 = 0.05, ETH −4 + 4 = 0.
    expect(net.text).toMatch(/Time \(UTC\)\s+BTC\s+ETH/);
    expect(net.text).toMatch(/Z\s+0\.05\s+0\n/);
    expect(parsePng(net.files[0]!.bytes)).toMatchObject({ width: 1000, height: 260 });

    const date = await withFiles({ name: 'history', user: next(), options: { account: 'desk-c', metric: 'utilization', since: new Date(Date.now() - 3_600_000).toISOString().slice(0, 16) } });
    // desk-c: (5,000 − 4,000) / 5,000 = 20.00 % at both ticks.
    expect(date.text.match(/Z\s+20\.00%/g)).toHaveLength(2);

    const bad = await slash(f.fake, { name: 'history', user: next(), options: { since: 'last tuesday' } });
    expect(bad.ephemeral).toBe(true);
    expect(bad.text).toContain('is neither a duration (6h, 2d) nor a date');
    const perSymbol = await slash(f.fake, { name: 'history', user: next(), options: { account: 'desk-a', metric: 'deviation' } });
    expect(perSymbol.text).toContain('deviation is kept per symbol for the portfolio');
  });

  it('/sync account:desk-b: its failure with the venue\'s code; /positions then marks its positions stale', async () => {
    const r = await slash(f.fake, { name: 'sync', ...admin(), options: { account: 'desk-b' } });
    expect(r.text).toContain('Sync: 0 synced, 1 failed');
    expect(r.text).toMatch(/Tick #3 took \d+ ms/);
    // The cell is cut at 48 characters in the embed (the attachment of a longer table keeps it whole).
    expect(r.text).toMatch(/desk-b\s+2002\s+paper account desk-b is set to fail by the scen…/);
    expect((r.message?.embeds[0] as { color?: number }).color).toBe(0xe74c3c);
    const p = await slash(f.fake, { name: 'positions', user: next(), options: { account: 'desk-b' } });
    expect(p.text).toContain('Last sync failed for desk-b: their last good positions are shown.');
    expect(p.text).toMatch(row('desk-b (stale)', 'paper', 'BTC', 'SHORT', '-0.45'));
    // An unknown account: 1001 before any venue is called. /sync defers at once, so the private error
    // replaces the public placeholder as an ephemeral follow-up.
    const unknown = f.fake.sendSlashCommand({ name: 'sync', ...admin(), options: { account: 'nope' } });
    await expect.poll(() => unknown.followUps().length).toBe(1);
    expect(unknown.followUps()[0]!.ephemeral).toBe(true);
    expect(messageText(unknown.followUps()[0]!.json)).toContain('Error 1001');
    expect(f.app.engine.snapshot()?.seq).toBe(3);
  });

  it('/audit: refused for a non-admin (3001, audited as such); an admin sees the log newest first, filtered', async () => {
    const carol = next();
    const refused = await slash(f.fake, { name: 'audit', user: carol, options: { action: 'ack' } });
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain('Error 3001');
    await expect.poll(() => f.app.alerts.auditLog({ actorId: carol.id })).toMatchObject([{ action: 'audit', outcome: 'refused', target: 'action=ack', actorName: carol.username }]);
    // Who was refused, for what, and why (the wording is the audit's own).
    const detail = (await f.app.alerts.auditLog({ actorId: carol.id }))[0]!.detail ?? '';
    for (const part of [carol.username, carol.id, '/audit action=ack', 'not an admin']) expect(detail).toContain(part);

    const all = await slash(f.fake, { name: 'audit', ...admin() });
    expect(all.ephemeral).toBe(true);
    expect(all.text).toContain('2 entries, newest first.');
    // Newest first: carol's refused /audit, then user3's refused /sync (the test above, by bob).
    const audit = all.text.search(row(carol.username, 'audit', 'refused', 'action=ack'));
    const sync = all.text.search(/user\d+\s+sync\s+refused\s+\(none\)/);
    expect(audit).toBeGreaterThan(0);
    expect(sync).toBeGreaterThan(audit);
    expect(all.text).toMatch(new RegExp(`${carol.username}\\s+audit\\s+refused\\s+action=ack\\s+discord:\\d+/\\d+\\s+.*${carol.username}`));

    const onlySync = await slash(f.fake, { name: 'audit', ...admin(), options: { action: 'sync' } });
    expect(onlySync.text).toContain('1 entry, newest first · action=sync.');
    const byName = await slash(f.fake, { name: 'audit', ...admin(), options: { actor: carol.username.toUpperCase() } });
    expect(byName.text).toContain(`1 entry, newest first · actor=${carol.username.toUpperCase()}.`);
    const refusals = await slash(f.fake, { name: 'audit', ...admin(), options: { action: 'refused', limit: 1 } });
    expect(refusals.text).toContain('The newest 1 are shown; raise limit: for more.');
    expect(refusals.text).toMatch(row(carol.username, 'audit', 'refused'));
  });

  it('/help lists the new commands, the admin ones marked', async () => {
    const help = await slash(f.fake, { name: 'help', user: next() });
    for (const c of ['/positions', '/history', '/sync (admin)', '/audit (admin)']) expect(help.text).toContain(c);
  });
});
