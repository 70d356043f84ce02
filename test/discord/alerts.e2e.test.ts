import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_FILE_NAME } from '../../src/discord/discord-sink.js';
import type { StoredMessage } from '../fakes/discord/index.js';
import { ADMIN, ALERT_ROLE, ALERTS, GUILD, startBot, SUMMARY, user, type BotFixture } from './bot-fixture.js';
import { buttonIds, errorIdOf, messageText, slash } from './e2e-helpers.js';
import { parsePng } from './png.js';

/*
 * The scenario fires three alerts on its first tick (groupWait 0): ETH delta CRITICAL (deviation 20 % >
 * max 10 %), BTC delta WARN (20 % > tolerance 5 %), acc-3 utilization WARN (90 % > 85 %). They go out
 * together in one message with the alert role pinged. The first POST of that message is answered 429.
 */
const POST_ALERTS = new RegExp(`^/channels/${ALERTS}/messages$`);
const POST_SUMMARY = new RegExp(`^/channels/${SUMMARY}/messages$`);

describe('alerts in the alert channel', () => {
  let f: BotFixture;
  let alertMessage: StoredMessage;
  const ids: Record<string, string> = {};
  let n = 100;
  const next = () => user(++n);
  const text = (m: StoredMessage | undefined) => messageText(m?.json);
  const current = () => f.fake.message(alertMessage.json.id)!;

  beforeAll(async () => {
    f = await startBot({ beforeStart: (fake) => fake.injectRateLimit(POST_ALERTS, 1, 0.3, { method: 'POST' }) });
    alertMessage = await f.fake.waitForMessage(ALERTS);
    for (const a of await f.app.alerts.list({ state: 'active' })) ids[`${a.type}:${a.account ?? a.symbol}`] = a.shortId;
  });
  afterAll(async () => {
    await f?.close();
  });

  it('posts the scenario’s alerts once, grouped, with Acknowledge and Silence-1h buttons, pinging only the alert role', () => {
    expect(Object.keys(ids).sort()).toEqual(['delta:BTC', 'delta:ETH', 'utilization:acc-3']);
    const m = alertMessage.json;
    expect(m.content).toBe(`<@&${ALERT_ROLE}>`);
    expect(m.mention_roles).toEqual([ALERT_ROLE]);
    expect(m.mentions).toEqual([]);
    expect(m.mention_everyone).toBe(false);
    const t = text(alertMessage);
    expect(t).toContain('Alerts: 1 CRITICAL, 2 WARN');
    expect(t).toContain(`[${ids['delta:ETH']}] CRITICAL delta · ETH`);
    expect(t).toContain('ETH deviation 20.0% > 10.0% (net -1)');
    expect(t).toContain(`[${ids['utilization:acc-3']}] WARN utilization · acc-3`);
    expect(t).toContain('utilization 90.0% > 85.0%');
    expect(buttonIds(m).sort()).toEqual(Object.values(ids).flatMap((id) => [`alert:ack:${id}`, `alert:silence1h:${id}`]).sort());
  });

  it('a 429 on the post is waited out and retried with the same nonce: the message exists exactly once', async () => {
    await expect.poll(() => f.fake.requestsTo('POST', POST_ALERTS).map((r) => r.status)).toEqual([429, 200]);
    const posts = f.fake.requestsTo('POST', POST_ALERTS);
    const bodies = posts.map((r) => r.body as { nonce?: string; enforce_nonce?: boolean });
    expect(bodies[0]?.nonce).toMatch(/^.{1,25}$/);
    expect(bodies[1]?.nonce).toBe(bodies[0]?.nonce);
    expect(bodies.every((b) => b.enforce_nonce === true)).toBe(true);
    expect(f.fake.channelMessages(ALERTS)).toHaveLength(1);
    expect(await f.app.store.outbox.counts()).toMatchObject({ pending: 0, dead: 0 });
  });

  it('a non-admin’s Acknowledge click is refused: ephemeral 3001 with an error id, audited, message unchanged', async () => {
    const bob = next();
    const out = await f.fake.clickButton({ messageId: alertMessage.json.id, customId: `alert:ack:${ids['delta:ETH']}`, user: bob }).final();
    expect(out.ephemeral).toBe(true);
    const t = messageText(out.message);
    expect(t).toContain('Error 3001');
    const errorId = errorIdOf(t);
    expect(f.logs.some((l) => l.errorId === errorId && l.code === 3001)).toBe(true);
    // The refusal is audited without holding up the reply: wait for it.
    await expect.poll(() => f.app.alerts.auditLog({ actorId: bob.id })).toMatchObject([{ action: 'ack', target: ids['delta:ETH'], outcome: 'refused', actorName: bob.username, source: `discord:${GUILD}/${ALERTS}` }]);
    // Who was refused, for what, and why; no comment that reads as if it had been acknowledged.
    const [entry] = await f.app.alerts.auditLog({ actorId: bob.id });
    expect(entry?.detail).toBe(`refused ${bob.username} (${bob.id}): acknowledge alert ${ids['delta:ETH']} with the Acknowledge button on the alert message — not an admin`);
    expect(entry?.comment).toBeUndefined();
    expect(current().history).toHaveLength(1);
  });

  it('a non-admin’s Silence-1h click and /alerts ack are refused and audited too', async () => {
    const carol = next();
    const click = await f.fake.clickButton({ messageId: alertMessage.json.id, customId: `alert:silence1h:${ids['delta:BTC']}`, user: carol }).final();
    expect(click.ephemeral).toBe(true);
    expect(messageText(click.message)).toContain('Error 3001');
    const dave = next();
    const cmd = await slash(f.fake, { name: 'alerts', subcommand: 'ack', user: dave, options: { id: ids['delta:ETH']!, comment: 'mine' } });
    expect(cmd.ephemeral).toBe(true);
    expect(cmd.text).toContain('Error 3001');
    expect(errorIdOf(cmd.text)).toBeDefined();
    await expect.poll(() => f.app.alerts.auditLog({ actorId: carol.id })).toMatchObject([{ action: 'silence', outcome: 'refused' }]);
    await expect.poll(() => f.app.alerts.auditLog({ actorId: dave.id })).toMatchObject([
      { action: 'ack', target: `id=${ids['delta:ETH']}`, comment: 'mine', outcome: 'refused', detail: `refused ${dave.username} (${dave.id}): /alerts ack id=${ids['delta:ETH']} — not an admin` },
    ]);
    expect(await f.app.alerts.listSilences()).toEqual([]);
    expect(current().history).toHaveLength(1);
  });

  it('an admin’s Acknowledge click is accepted and the alert message is edited (who, when)', async () => {
    const out = await f.fake.clickButton({ messageId: alertMessage.json.id, customId: `alert:ack:${ids['delta:ETH']}`, user: ADMIN }).final();
    expect(out.ephemeral).toBe(true);
    expect(messageText(out.message)).toContain(`Alert ${ids['delta:ETH']} acknowledged`);
    const edited = await f.fake.waitForMessage(ALERTS, (m) => messageText(m).includes('acknowledged by alice'));
    expect(edited.json.id).toBe(alertMessage.json.id);
    expect(edited.json.edited_timestamp).not.toBeNull();
    expect(messageText(edited.json)).toMatch(/acknowledged by alice/);
    expect(messageText(edited.json)).not.toMatch(/acknowledged by alice:/);
    expect(buttonIds(edited.json)).not.toContain(`alert:ack:${ids['delta:ETH']}`);
    expect(await f.app.alerts.get(ids['delta:ETH']!)).toMatchObject({ ackedBy: 'alice' });
    expect((await f.app.alerts.auditLog({ actorId: ADMIN.id }))[0]).toMatchObject({ action: 'ack', outcome: 'done', detail: 'delta CRITICAL, by the Acknowledge button on the alert message' });
    expect(f.fake.channelMessages(ALERTS)).toHaveLength(1);
  });

  it('an admin’s Silence-1h click silences the alert’s fingerprint for an hour and the message shows it', async () => {
    const before = Date.now();
    const out = await f.fake.clickButton({ messageId: alertMessage.json.id, customId: `alert:silence1h:${ids['delta:BTC']}`, user: ADMIN }).final();
    expect(messageText(out.message)).toMatch(/Silence \d+ created/);
    const silence = (await f.app.alerts.listSilences())[0];
    expect(silence?.matcher).toEqual({ type: 'delta', symbol: 'BTC' });
    expect(silence!.endsAt - silence!.startsAt).toBe(3_600_000);
    expect(silence!.startsAt).toBeGreaterThanOrEqual(before - 1000);
    await f.fake.waitForMessage(ALERTS, (m) => messageText(m).includes('silenced until'));
  });

  it('/alerts resolve by an admin edits the message to show who resolved it and why', async () => {
    const r = await slash(f.fake, { name: 'alerts', subcommand: 'resolve', user: ADMIN, options: { id: ids['utilization:acc-3']!, comment: 'topped up <@&1200000000000000101>' } });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain(`Alert ${ids['utilization:acc-3']} resolved`);
    const edited = await f.fake.waitForMessage(ALERTS, (m) => /RESOLVED .*\(by alice\)/.test(messageText(m)));
    // The user's comment is shown, its mention neutralised, and nobody is pinged by the edit.
    expect(messageText(edited.json)).toContain('topped up <\u200b@&1200000000000000101>');
    expect(edited.json.mention_roles).toEqual([ALERT_ROLE]);
    expect(f.fake.channelMessages(ALERTS)).toHaveLength(1);
  });

  it('/alerts list answers everyone with the alerts and the silence', async () => {
    const r = await slash(f.fake, { name: 'alerts', subcommand: 'list', user: next(), options: { state: 'all' } });
    expect(r.ephemeral).toBe(false);
    expect(r.text).toContain(ids['delta:ETH']);
    expect(r.text).toMatch(/acked by alice/);
    expect(r.text).toMatch(/delta \/ \* \/ BTC\s+active/);
  });
});

describe('the daily summary', () => {
  let f: BotFixture;
  beforeAll(async () => {
    f = await startBot();
    await f.fake.waitForMessage(ALERTS);
  });
  afterAll(async () => {
    await f?.close();
  });

  it('arrives once in the summary channel with a valid PNG chart, after a 429 on its post', async () => {
    f.fake.injectRateLimit(POST_SUMMARY, 1, 0.2, { method: 'POST' });
    await f.app.engine.tick();
    const scheduledFor = Date.now();
    expect(await f.app.sendSummary(scheduledFor)).toBe(true);
    const m = await f.fake.waitForMessage(SUMMARY);
    await expect.poll(() => f.fake.requestsTo('POST', POST_SUMMARY).map((r) => r.status)).toEqual([429, 200]);
    expect(f.fake.channelMessages(SUMMARY)).toHaveLength(1);
    const t = messageText(m.json);
    expect(t).toContain('Daily utilization summary');
    expect(t).toContain('Portfolio utilization 44.3% (weighted)');
    expect(t).toMatch(/acc-3\s+90\.0%/);
    expect(m.json.content).toBe('');
    expect(m.json.mention_roles).toEqual([]);
    expect((m.json.embeds[0] as { image?: { url: string } }).image?.url).toBe(`attachment://${CHART_FILE_NAME}`);
    expect(m.json.attachments.map((a) => a.filename)).toEqual([CHART_FILE_NAME]);
    expect(m.files[0]?.contentType).toBe('image/png');
    expect(parsePng(m.files[0]!.bytes)).toMatchObject({ width: 1000, height: 600, bitDepth: 8 });
    // Asking again for the same scheduled time stores nothing more.
    expect(await f.app.sendSummary(scheduledFor)).toBe(false);
  });
});
