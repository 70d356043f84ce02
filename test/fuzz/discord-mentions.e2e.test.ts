import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageJson } from '../fakes/discord/index.js';
import { ADMIN, ADMIN_ROLE, ALERT_ROLE, ALERTS, startBot, user, type BotFixture } from '../discord/bot-fixture.js';
import { messageText, slash } from '../discord/e2e-helpers.js';
import { nastyString, Prng } from './prng.js';

const SEED = 7331;
const PINGS = ['@everyone', '@here', `<@&${ADMIN_ROLE}>`, `<@&${ALERT_ROLE}>`, `<@${ADMIN.id}>`, '<@!1300000000000001002>'];

/** Who a stored message actually pings, as the fake resolved it from content + allowed_mentions. */
function pinged(m: MessageJson | null | undefined): { everyone: boolean; users: string[]; roles: string[] } {
  return { everyone: m?.mention_everyone ?? false, users: (m?.mentions ?? []).map((u) => u.id), roles: m?.mention_roles ?? [] };
}

/*
 * A sample of hostile slash-command options through the real bot and the Discord fake, which resolves
 * mentions the way Discord does (content + allowed_mentions). Every answer, public or ephemeral, and the
 * alert message after an admin acted on it with a hostile comment: nobody pinged except the alert role
 * on the CRITICAL alert message, which pinged it before.
 */
describe('fuzz: hostile options through the Discord fake', () => {
  let f: BotFixture;
  let n = 600;
  const next = () => user(++n);
  beforeAll(async () => {
    f = await startBot();
    await f.fake.waitForMessage(ALERTS);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('pings nobody in any reply, and the alert message keeps pinging only the alert role', async () => {
    const r = new Prng(SEED);
    const hostile = (max: number): string => `${r.pick(PINGS)} ${nastyString(r, Math.max(1, max - 60))} ${r.pick(PINGS)}`.slice(0, max);
    const alertId = (await f.app.alerts.list({ state: 'active' }))[0]!.shortId;
    const cases: { name: string; subcommand?: string; options: Record<string, string | number>; admin?: boolean }[] = [
      { name: 'risk', options: { account: hostile(64) } },
      { name: 'funding', options: { symbol: hostile(32) } },
      { name: 'feeds', options: { symbol: hostile(32) } },
      { name: 'feeds', options: { symbol: 'BTC', source: hostile(32), reason: hostile(500) } },
      { name: 'feeds', options: { symbol: 'BTC', source: hostile(32), reason: hostile(500) }, admin: true },
      { name: 'delta', subcommand: 'plan', options: { symbol: hostile(32), accounts: hostile(500) } },
      { name: 'delta', subcommand: 'plan', options: { symbol: 'BTC', accounts: `acc-1,${hostile(400)}` } },
      { name: 'alerts', subcommand: 'list', options: { account: hostile(64) } },
      { name: 'alerts', subcommand: 'ack', options: { id: hostile(16), comment: hostile(500) } },
      { name: 'alerts', subcommand: 'ack', options: { id: hostile(16), comment: hostile(500) }, admin: true },
      { name: 'alerts', subcommand: 'silence', options: { duration: hostile(16), reason: hostile(500), account: hostile(64) }, admin: true },
      { name: 'alerts', subcommand: 'silence', options: { duration: '1h', reason: hostile(500), account: hostile(64), symbol: hostile(32) }, admin: true },
      { name: 'alerts', subcommand: 'resolve', options: { id: alertId, comment: hostile(500) }, admin: true },
      { name: 'utilization', options: { target: 0.01, tolerance: 10 } },
    ];
    for (const [i, c] of cases.entries()) {
      const out = await slash(f.fake, { name: c.name, ...(c.subcommand ? { subcommand: c.subcommand } : {}), options: c.options, user: next(), ...(c.admin ? { roles: [ADMIN_ROLE] } : {}) });
      expect(out.message, `case ${i}`).not.toBeNull();
      expect(pinged(out.message), `case ${i}: ${out.text.slice(0, 200)}`).toEqual({ everyone: false, users: [], roles: [] });
      expect(out.text).not.toMatch(/@(everyone|here)/);
      if (c.admin) expect(out.text).not.toContain('Error 3001');
    }
    // The admin resolved an alert of the message with a hostile comment: the edit pings nobody new.
    const alertMessage = f.fake.channelMessages(ALERTS)[0]!;
    await f.fake.waitForMessage(ALERTS, (m) => /RESOLVED \S+ \(by user\d+\)/.test(messageText(m)));
    for (const version of f.fake.message(alertMessage.json.id)!.history) {
      expect(version.mention_everyone).toBe(false);
      expect(version.mentions).toEqual([]);
      expect(version.mention_roles.every((role) => role === ALERT_ROLE)).toBe(true);
    }
    // Every body the bot sent anywhere (replies, follow-ups, edits, posts) allows no everyone and no users.
    const everyBody = f.fake.requests.map((q) => q.body as { allowed_mentions?: { parse?: string[]; users?: string[] } } | undefined);
    for (const b of everyBody) {
      if (!b?.allowed_mentions) continue;
      expect(b.allowed_mentions.parse ?? []).toEqual([]);
      expect(b.allowed_mentions.users ?? []).toEqual([]);
    }
  });
});
