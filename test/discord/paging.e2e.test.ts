import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { createApp, type App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Clock } from '../../src/core/clock.js';
import { alertGroupPayloadSchema } from '../../src/core/outbox/payload.js';
import { DISCORD_SINK_NAME } from '../../src/discord/sink-name.js';
import { startDiscord, type DiscordBot } from '../../src/discord/start-discord.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { MessageFlags, startFakeDiscord, type FakeDiscord, type StoredMessage } from '../fakes/discord/index.js';
import { tempDir } from '../helpers/run-cli.js';
import { ADMIN, ADMIN_ROLE, ALERT_ROLE, ALERTS, fakeOptions, GUILD, SCENARIO, SUMMARY, type LogLine } from './bot-fixture.js';
import { buttonIds, errorIdOf, messageText, slash } from './e2e-helpers.js';

/*
 * Paging end to end: the real app on the Discord scenario (its first tick raises ETH delta CRITICAL,
 * BTC delta WARN and acc-3 utilization WARN) with a critical route, one escalation step after 10 min
 * (the team-lead role, a DM to Alice, an admin, and to Carol, who is not one), and utilization alerts
 * silent. The app's clock is the real one plus an offset the test moves, so "10 minutes later" takes no
 * waiting; Discord is the loopback fake.
 */
const CRIT = '1200000000000000013';
const LEAD_ROLE = '1200000000000000102';
const CAROL = { id: '1300000000000000077', username: 'carol' };
const MIN = 60_000;

class OffsetClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

function fakeWithPaging() {
  const o = fakeOptions();
  const g = o.guilds![0]!;
  g.channels = [...(g.channels ?? []), { id: CRIT, name: 'critical' }];
  g.roles = [...(g.roles ?? []), { id: LEAD_ROLE, name: 'team-lead' }];
  g.members = [...(g.members ?? []), { user: CAROL, roles: [LEAD_ROLE] }];
  return o;
}

function pagingConfig(dir: string): string {
  const doc = parseYaml(readFileSync(SCENARIO, 'utf8')) as Record<string, unknown>;
  doc['alerts'] = {
    groupWait: '0s',
    routes: [{ match: { severity: 'CRITICAL' }, channelId: CRIT, mentionRoleId: ALERT_ROLE }],
    escalation: [{ after: '10m', mentionRoleIds: [LEAD_ROLE], dmUserIds: [ADMIN.id, CAROL.id] }],
    notify: { utilization: 'silent' },
  };
  const file = join(dir, 'paging.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

describe('paging end to end: route, escalate by DM, acknowledge from the DM', () => {
  let fake: FakeDiscord;
  let app: App;
  let bot: DiscordBot;
  let dir: string;
  const logs: LogLine[] = [];
  const clock = new OffsetClock();
  let critMessage: StoredMessage;
  let eth = '';
  /** The DM channel and message of each user's escalation DM, from the outbox rows that carry them. */
  const dms = new Map<string, { channel: string; message: string }>();

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeWithPaging());
    dir = tempDir('delta-ops-paging-');
    const env = {
      DISCORD_TOKEN: FAKE_BOT_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: GUILD,
      ALERT_CHANNEL_ID: ALERTS,
      SUMMARY_CHANNEL_ID: SUMMARY,
      ALERT_ROLE_ID: ALERT_ROLE,
      ADMIN_ROLE_IDS: ADMIN_ROLE,
      COMMAND_COOLDOWN_MS: '0',
      DELTA_OPS_DB: join(dir, 'bot.sqlite'),
    };
    const config = loadConfig(env, pagingConfig(dir));
    const logger = pino({ level: 'debug' }, { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
    app = await createApp(config, { clock, logger, store: SqliteStore.open(config.store.path), sinkNames: [DISCORD_SINK_NAME] });
    bot = await startDiscord(app, { clock });
    await app.start([bot.sink]);
    critMessage = await fake.waitForMessage(CRIT);
    eth = (await app.alerts.list({ type: 'delta', severity: 'CRITICAL' }))[0]!.shortId;
  });
  afterAll(async () => {
    await bot?.stop();
    await app?.stop();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('routes the CRITICAL alert to the critical channel, pinging its route’s role only; the rest to the alert channel', async () => {
    expect(fake.channelMessages(CRIT)).toHaveLength(1);
    const m = critMessage.json;
    expect(messageText(m)).toContain(`[${eth}] CRITICAL delta · ETH`);
    expect(m).toMatchObject({ content: `<@&${ALERT_ROLE}>`, mention_roles: [ALERT_ROLE], mentions: [], mention_everyone: false, flags: 0 });
    expect(buttonIds(m)).toEqual([`alert:ack:${eth}`, `alert:silence1h:${eth}`]);
    await expect.poll(() => fake.channelMessages(ALERTS).length).toBe(2);
    const [warn] = fake.channelMessages(ALERTS).map((x) => x.json);
    expect(messageText(warn)).toContain('WARN delta · BTC');
    expect(warn).toMatchObject({ content: '', mention_roles: [], flags: 0 });
  });

  it('posts the `silent` utilization alert with SUPPRESS_NOTIFICATIONS, pinging nobody', () => {
    const quiet = fake.channelMessages(ALERTS)[1]!.json;
    expect(messageText(quiet)).toContain('WARN utilization · acc-3');
    expect(quiet.flags & MessageFlags.SuppressNotifications).toBe(MessageFlags.SuppressNotifications);
    expect(quiet).toMatchObject({ content: '', mention_roles: [], mentions: [], mention_everyone: false });
  });

  it('escalates after `after`: a page in the critical channel pinging the team lead, and a DM to each user, each with Acknowledge', async () => {
    clock.offset = 9 * MIN;
    await app.engine.tick();
    await app.dispatchNow();
    expect(fake.channelMessages(CRIT)).toHaveLength(1);
    clock.offset = 10 * MIN + 1000;
    await app.engine.tick();
    const page = await fake.waitForMessage(CRIT, (m) => messageText(m).includes('Escalation 1/1'));
    expect(page.json).toMatchObject({ content: `<@&${LEAD_ROLE}>`, mention_roles: [LEAD_ROLE], mentions: [] });
    expect(buttonIds(page.json)).toEqual([`alert:ack:${eth}`]);
    await expect.poll(async () => (await app.store.outbox.list({ status: 'sent' })).filter((r) => alertGroupPayloadSchema.safeParse(r.payload).data?.delivery?.dmUserId).length).toBe(2);
    for (const row of await app.store.outbox.list({ status: 'sent' })) {
      const p = alertGroupPayloadSchema.safeParse(row.payload).data;
      if (p?.delivery?.dmUserId) {
        const [channel, message] = row.sentRef!.split('/');
        dms.set(p.delivery.dmUserId, { channel: channel!, message: message! });
      }
    }
    expect([...dms.keys()].sort()).toEqual([ADMIN.id, CAROL.id].sort());
    for (const { channel, message } of dms.values()) {
      const dm = fake.message(message)!.json;
      expect(dm.channel_id).toBe(channel);
      expect(dm.guild_id).toBeUndefined();
      expect(messageText(dm)).toContain(`Escalation 1/1: [${eth}] CRITICAL delta · ETH`);
      expect(buttonIds(dm)).toEqual([`alert:ack:${eth}`]);
      expect(dm.mention_roles).toEqual([]);
    }
    // The first message now says it was escalated; the step is in the audit log.
    await fake.waitForMessage(CRIT, (m, s) => s.json.id === critMessage.json.id && messageText(m).includes('escalated: step 1'));
    const [step] = (await app.alerts.auditLog()).filter((e) => e.action === 'escalate');
    expect(step).toMatchObject({ actorName: 'delta-ops', target: eth, outcome: 'done', detail: `step 1 of 1, 10m without an acknowledgement: pinged role ${LEAD_ROLE} in channel ${CRIT}; sent a DM to ${ADMIN.id}, ${CAROL.id}` });
    expect((await app.alerts.get(eth))).toMatchObject({ escalationStep: 1 });
  });

  it('a non-admin’s click on the DM’s Acknowledge is refused (3001, ephemeral) and audited; nothing changes', async () => {
    const dm = dms.get(CAROL.id)!;
    const before = fake.message(dm.message)!.history.length;
    const out = await fake.clickButton({ messageId: dm.message, customId: `alert:ack:${eth}`, user: CAROL }).final();
    expect(out.ephemeral).toBe(true);
    const t = messageText(out.message);
    expect(t).toContain('Error 3001');
    expect(logs.some((l) => l.errorId === errorIdOf(t) && l.code === 3001)).toBe(true);
    // Carol's roles were read from her member in the server.
    expect(fake.requestsTo('GET', new RegExp(`^/guilds/${GUILD}/members/${CAROL.id}$`))).toHaveLength(1);
    await expect.poll(() => app.alerts.auditLog({ actorId: CAROL.id })).toMatchObject([
      { action: 'ack', target: eth, outcome: 'refused', source: `discord:dm/${dm.channel}`, detail: `refused carol (${CAROL.id}): acknowledge alert ${eth} with the Acknowledge button of an escalation DM — not an admin` },
    ]);
    expect((await app.alerts.get(eth))?.ackedBy).toBeUndefined();
    expect(fake.message(dm.message)!.history).toHaveLength(before);
  });

  it('the admin’s click on the DM’s Acknowledge acknowledges it; the messages are edited in the channel and in both DMs', async () => {
    const dm = dms.get(ADMIN.id)!;
    const out = await fake.clickButton({ messageId: dm.message, customId: `alert:ack:${eth}`, user: ADMIN }).final();
    expect(out.ephemeral).toBe(true);
    expect(messageText(out.message)).toContain(`Alert ${eth} acknowledged`);
    expect(await app.alerts.get(eth)).toMatchObject({ ackedBy: 'alice', escalationStep: 1 });
    const acked = (m: { content: string; embeds: unknown[] }) => messageText(m).includes('acknowledged by alice');
    await fake.waitForMessage(CRIT, (m, s) => s.json.id === critMessage.json.id && acked(m));
    await fake.waitForMessage(CRIT, (m) => messageText(m).includes('Escalation 1/1') && acked(m));
    for (const { channel, message } of dms.values()) {
      const edited = await fake.waitForMessage(channel, (m) => acked(m));
      expect(edited.json.id).toBe(message);
      expect(buttonIds(edited.json)).toEqual([]);
    }
    expect(fake.channelMessages(CRIT)).toHaveLength(2);
    expect((await app.alerts.auditLog({ actorId: ADMIN.id }))[0]).toMatchObject({
      action: 'ack',
      outcome: 'done',
      source: `discord:dm/${dm.channel}`,
      detail: 'delta CRITICAL; escalation stopped after step 1, by the Acknowledge button of an escalation DM',
    });
    // Acknowledged: no further page, however long it stays CRITICAL.
    clock.offset = 60 * MIN;
    await app.engine.tick();
    await app.dispatchNow();
    expect(fake.channelMessages(CRIT)).toHaveLength(2);
  });

  it('slash commands in a DM stay refused, admins included', async () => {
    const r = await slash(fake, { name: 'alerts', subcommand: 'list', user: ADMIN, dm: true });
    expect(r.ephemeral).toBe(true);
    expect(r.text).toContain('Error 3001');
  });
});
