import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/core/ports/alerts.js';
import type { SlashCommandInput } from '../fakes/discord/index.js';
import { ADMIN_ROLE, ALERTS, GUILD, OPS, OTHER_CHANNEL, OTHER_GUILD, startBot, user, type BotFixture } from '../discord/bot-fixture.js';
import { errorIdOf, messageText, slash } from '../discord/e2e-helpers.js';

/** Admins by user id (ADMIN_USER_IDS), with no role at all: one per action, as commands are cooled down per user. */
const BOSSES = [1, 2, 3, 4, 5].map((i) => ({ id: `130000000000000077${i}`, username: `boss${i}` }));

interface Expected {
  actorId: string;
  action: AuditEntry['action'];
  outcome: AuditEntry['outcome'];
  source: string;
  target?: RegExp;
}

/*
 * Who may do what, end to end through the Discord fake: the guild allow-list (ALLOWED_GUILD_IDS) and DM
 * refusal, admins by role (ADMIN_ROLE_IDS) and by user (ADMIN_USER_IDS) for every admin action (ack,
 * resolve, silence, unsilence, feed failover, the two alert buttons), and the audit log cross-checked
 * against every attempt: one row each, with who, when, from where, what and on what; none for the rest.
 * (test/discord/alerts.e2e and commands.e2e cover the role admin's buttons and the non-admin's ack,
 * silence button and failover; this covers the remaining combinations.)
 */
describe('access control and the audit log', () => {
  let f: BotFixture;
  let started: number;
  let n = 800;
  const next = () => user(++n);
  const expected: Expected[] = [];
  const here = (channel = OPS, guild = GUILD) => `discord:${guild}/${channel}`;
  const ids = async (): Promise<string[]> => (await f.app.alerts.list({ state: 'active' })).map((a) => a.shortId);

  beforeAll(async () => {
    f = await startBot({ env: { ALLOWED_GUILD_IDS: GUILD, ADMIN_USER_IDS: BOSSES.map((b) => b.id).join(','), COMMAND_COOLDOWN_MS: '60000' } });
    await f.fake.waitForMessage(ALERTS);
    started = Date.now();
  });
  afterAll(async () => {
    await f?.close();
  });

  const attempt = async (input: SlashCommandInput, expect3001: boolean): Promise<string> => {
    const out = await slash(f.fake, input);
    expect(out.ephemeral, out.text).toBe(true);
    if (expect3001) {
      expect(out.text).toContain('Error 3001');
      expect(errorIdOf(out.text)).toBeDefined();
    } else expect(out.text).not.toMatch(/Error \d+/);
    return out.text;
  };

  it('a member without an admin role or id is refused every admin action (3001), each audited', async () => {
    const [a1] = await ids();
    const u = () => next();
    const cases: [SlashCommandInput, Expected['action'], RegExp][] = [
      [{ name: 'alerts', subcommand: 'resolve', user: u(), options: { id: a1!, comment: 'not mine to close' } }, 'resolve', new RegExp(`id=${a1!}`)],
      [{ name: 'alerts', subcommand: 'silence', user: u(), options: { duration: '1h', reason: 'noisy', type: 'delta' } }, 'silence', /type=delta/],
      [{ name: 'alerts', subcommand: 'unsilence', user: u(), options: { id: 1 } }, 'unsilence', /silence_id=1|id=1/],
      [{ name: 'feeds', user: u(), options: { symbol: 'ETH', source: 'paper', reason: 'try' } }, 'failover', /feed:ETH paper/],
    ];
    for (const [input, action, target] of cases) {
      await attempt(input, true);
      expected.push({ actorId: input.user.id, action, outcome: 'refused', source: here(), target });
    }
    expect(await f.app.alerts.listSilences()).toEqual([]);
  });

  it('admins by user id (no role) may ack, resolve, silence, unsilence and fail over, and use the buttons', async () => {
    const [a1, a2, a3] = await ids();
    const [b1, b2, b3, b4, b5] = BOSSES;
    await attempt({ name: 'alerts', subcommand: 'ack', user: b1!, options: { id: a1!, comment: 'boss on it' } }, false);
    expected.push({ actorId: b1!.id, action: 'ack', outcome: 'done', source: here(), target: new RegExp(`^${a1!}$`) });
    const message = f.fake.channelMessages(ALERTS)[0]!;
    const click = await f.fake.clickButton({ messageId: message.json.id, customId: `alert:silence1h:${a2!}`, user: b1! }).final();
    expect(messageText(click.message)).toMatch(/Silence \d+ created/);
    expected.push({ actorId: b1!.id, action: 'silence', outcome: 'done', source: here(ALERTS), target: /^silence:\d+ type=/ });
    const ack3 = await f.fake.clickButton({ messageId: message.json.id, customId: `alert:ack:${a3!}`, user: b1! }).final();
    expect(messageText(ack3.message)).toContain(`Alert ${a3!} acknowledged`);
    expected.push({ actorId: b1!.id, action: 'ack', outcome: 'done', source: here(ALERTS), target: new RegExp(`^${a3!}$`) });
    // A second command within the cooldown is refused (3002) before it runs, and still audited.
    const again = await slash(f.fake, { name: 'alerts', subcommand: 'resolve', user: b1!, options: { id: a1!, comment: 'closing' } });
    expect(again.text).toContain('Error 3002');
    expected.push({ actorId: b1!.id, action: 'resolve', outcome: 'refused', source: here(), target: new RegExp(`id=${a1!}`) });

    await attempt({ name: 'alerts', subcommand: 'resolve', user: b2!, options: { id: a1!, comment: 'hedged' } }, false);
    expected.push({ actorId: b2!.id, action: 'resolve', outcome: 'done', source: here(), target: new RegExp(`^${a1!}$`) });
    await attempt({ name: 'alerts', subcommand: 'silence', user: b3!, options: { duration: '30m', reason: 'rebalancing', type: 'utilization', account: 'acc-3' } }, false);
    expected.push({ actorId: b3!.id, action: 'silence', outcome: 'done', source: here(), target: /^silence:\d+ type=utilization account=acc-3$/ });
    const first = (await f.app.alerts.listSilences()).find((x) => x.matcher.type === 'delta')!;
    await attempt({ name: 'alerts', subcommand: 'unsilence', user: b4!, options: { id: first.id } }, false);
    expected.push({ actorId: b4!.id, action: 'unsilence', outcome: 'done', source: here(), target: new RegExp(`^silence:${first.id} `) });
    const pin = await slash(f.fake, { name: 'feeds', user: b5!, options: { symbol: 'ETH', source: 'paper', reason: 'pin it' } });
    expect(pin.text).toContain('ETH pinned to paper');
    expected.push({ actorId: b5!.id, action: 'failover', outcome: 'done', source: here(), target: /^feed:ETH paper$/ });
  });

  it('role admins may do the same; an invalid request is audited as such', async () => {
    const [, a2] = await ids();
    const silence = (await f.app.alerts.listSilences()).find((x) => x.active)!;
    const r = [next(), next(), next(), next(), next()];
    const steps: [SlashCommandInput, Expected['action'], Expected['outcome'], RegExp][] = [
      [{ name: 'alerts', subcommand: 'resolve', user: r[0]!, roles: [ADMIN_ROLE], options: { id: a2! } }, 'resolve', 'done', new RegExp(`^${a2!}$`)],
      [{ name: 'alerts', subcommand: 'unsilence', user: r[1]!, roles: [ADMIN_ROLE], options: { id: silence.id, comment: 'done' } }, 'unsilence', 'done', new RegExp(`^silence:${silence.id} `)],
      [{ name: 'feeds', user: r[2]!, roles: [ADMIN_ROLE], options: { symbol: 'ETH', source: 'auto', reason: 'unpin' } }, 'failover', 'done', /^feed:ETH auto$/],
      [{ name: 'alerts', subcommand: 'silence', user: r[3]!, roles: [ADMIN_ROLE], options: { duration: '2h', reason: 'known', type: 'funding' } }, 'silence', 'done', /^silence:\d+ type=funding$/],
      [{ name: 'alerts', subcommand: 'ack', user: r[4]!, roles: [ADMIN_ROLE], options: { id: 'zzzz' } }, 'ack', 'invalid', /^zzzz$/],
    ];
    for (const [input, action, outcome, target] of steps) {
      const out = await slash(f.fake, input);
      expect(out.text).not.toMatch(/Error 300[12]/);
      expected.push({ actorId: input.user.id, action, outcome, source: here(), target });
    }
  });

  it('DMs and servers outside the allow-list are refused everything, admins included, and admin attempts are audited', async () => {
    const roleAdmin = next();
    const dmAck = await slash(f.fake, { name: 'alerts', subcommand: 'ack', user: roleAdmin, dm: true, options: { id: (await ids())[0] ?? 'abcd' } });
    expect(dmAck.text).toContain('Error 3001');
    expect(dmAck.text).toContain('not in direct messages');
    expected.push({ actorId: roleAdmin.id, action: 'ack', outcome: 'refused', source: 'discord:dm/', target: /^id=/ });

    const bossElsewhere = await slash(f.fake, { name: 'feeds', user: BOSSES[4]!, guildId: OTHER_GUILD, channelId: OTHER_CHANNEL, options: { symbol: 'BTC', source: 'auto', reason: 'from the other server' } });
    expect(bossElsewhere.text).toContain('not enabled in this server');
    expected.push({ actorId: BOSSES[4]!.id, action: 'failover', outcome: 'refused', source: here(OTHER_CHANNEL, OTHER_GUILD), target: /^feed:BTC auto$/ });

    // Not admin actions: refused, but nothing to audit.
    const status = await slash(f.fake, { name: 'status', user: next(), guildId: OTHER_GUILD, channelId: OTHER_CHANNEL });
    expect(status.text).toContain('Error 3001');
    const dmList = await slash(f.fake, { name: 'alerts', subcommand: 'list', user: next(), dm: true });
    expect(dmList.text).toContain('Error 3001');
  });

  it('the audit log has exactly one complete row per admin attempt, and no other', async () => {
    // Refusals are audited without holding up the reply: wait until every attempt's row has landed.
    await expect.poll(async () => (await f.app.alerts.auditLog({ since: started, limit: 1000 })).length).toBeGreaterThanOrEqual(expected.length);
    const rows = (await f.app.alerts.auditLog({ since: started, limit: 1000 })).reverse();
    const ended = Date.now();
    const unmatched = [...rows];
    for (const e of expected) {
      const i = unmatched.findIndex((r) => r.actorId === e.actorId && r.action === e.action && r.outcome === e.outcome && r.source.startsWith(e.source));
      expect(i, `no audit row for ${JSON.stringify({ ...e, target: String(e.target) })}; rows: ${JSON.stringify(unmatched)}`).toBeGreaterThanOrEqual(0);
      const row = unmatched.splice(i, 1)[0]!;
      expect(row.at).toBeGreaterThanOrEqual(started);
      expect(row.at).toBeLessThanOrEqual(ended);
      expect(row.actorName).toMatch(/^(user|boss)\d+$/);
      expect(row.target).toMatch(e.target ?? /.+/);
    }
    expect(unmatched).toEqual([]);
  });
});
