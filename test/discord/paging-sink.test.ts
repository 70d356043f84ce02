import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertGroupPayload } from '../../src/core/outbox/payload.js';
import type { OutboundNotification } from '../../src/core/outbox/sink.js';
import { deliveryMarker, DiscordSink } from '../../src/discord/discord-sink.js';
import { createRest } from '../../src/discord/rest.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { MessageFlags, startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { ADMIN, ALERT_ROLE, ALERTS, ADMIN_ROLE, fakeOptions, OPS, SUMMARY } from './bot-fixture.js';
import { buttonIds, messageText } from './e2e-helpers.js';

/** The Discord sink's side of routing, notification levels and escalation DMs, against the loopback fake. */
const T0 = Date.UTC(2026, 0, 2, 9);

function group(extra: Partial<AlertGroupPayload> = {}, severity: 'WARN' | 'CRITICAL' = 'CRITICAL'): AlertGroupPayload {
  return {
    type: 'alerts',
    groupId: 'g1',
    part: 1,
    parts: 1,
    createdAt: T0,
    alerts: [{ id: 1, shortId: 'k3v9', type: 'delta', symbol: 'ETH', severity, state: 'firing', reason: 'new', summary: 'ETH deviation 20.0% > 10.0% (net -1)', value: 0.2, threshold: 0.1, startsAt: T0 }],
    ...extra,
  };
}

let outboxId = 0;
const note = (payload: AlertGroupPayload, editRef?: string): OutboundNotification => ({ outboxId: ++outboxId, kind: editRef ? 'update' : 'fire', payload, createdAt: Date.now(), ...(editRef ? { editRef } : {}) });
const idOf = (ref: string | undefined): string => ref?.split('/')[1] ?? '';

describe('DiscordSink: routes, levels and DMs against the fake', () => {
  let fake: FakeDiscord;
  let sink: DiscordSink;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
    sink = new DiscordSink({ rest: createRest(FAKE_BOT_TOKEN, fake.apiUrl), alertChannelId: ALERTS, summaryChannelId: SUMMARY, alertRoleId: ALERT_ROLE, logger });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('a routed message goes to its channel and pings exactly its roles (any severity), not the default alert role', async () => {
    const r = await sink.deliver(note(group({ delivery: { channelId: OPS, mentionRoleIds: [ADMIN_ROLE] } }, 'WARN')), 'pgKEY0000000001');
    expect(r).toMatchObject({ kind: 'delivered', ref: expect.stringMatching(new RegExp(`^${OPS}/`)) });
    const m = fake.channelMessages(OPS).at(-1)!.json;
    expect(m.content).toBe(`<@&${ADMIN_ROLE}>`);
    expect(m.mention_roles).toEqual([ADMIN_ROLE]);
    expect(m.flags).toBe(0);
    const quiet = await sink.deliver(note(group({ delivery: { channelId: OPS, mentionRoleIds: [] } })), 'pgKEY0000000002');
    expect(fake.message(idOf(quiet.kind === 'delivered' ? quiet.ref : undefined))?.json).toMatchObject({ content: '', mention_roles: [] });
  });

  it('`silent`: posted with SUPPRESS_NOTIFICATIONS (4096), no content, pinging nobody, even for a CRITICAL in the alert channel', async () => {
    const r = await sink.deliver(note(group({ delivery: { mentionRoleIds: [], silent: true } })), 'pgKEY0000000003');
    const m = fake.message(idOf(r.kind === 'delivered' ? r.ref : undefined))!.json;
    expect(m.channel_id).toBe(ALERTS);
    expect(MessageFlags.SuppressNotifications).toBe(4096);
    expect(m.flags & MessageFlags.SuppressNotifications).toBe(4096);
    expect(m).toMatchObject({ content: '', mention_roles: [], mentions: [], mention_everyone: false });
    const body = fake.requestsTo('POST', new RegExp(`^/channels/${ALERTS}/messages$`)).at(-1)!.body as { flags?: number; allowed_mentions?: unknown };
    expect(body).toMatchObject({ flags: 4096, allowed_mentions: { parse: [], roles: [] } });
  });

  it('an escalation DM opens the user’s DM channel once, posts with nonce and marker, and its edit lands in the DM', async () => {
    const payload = group({ delivery: { dmUserId: ADMIN.id }, escalation: { step: 1, steps: 2, afterMs: 600_000 } });
    const key = 'pgKEY0000000004';
    const a = await sink.deliver(note(payload), key);
    const b = await sink.deliver(note(payload), key);
    expect(a).toEqual(b);
    const ref = a.kind === 'delivered' ? a.ref! : '';
    const [dmChannel, messageId] = ref.split('/');
    expect(fake.requestsTo('POST', /^\/users\/@me\/channels$/).map((r) => r.body)).toEqual([{ recipient_id: ADMIN.id }]);
    const dm = fake.message(messageId!)!;
    expect(dm.json.channel_id).toBe(dmChannel);
    expect(dm.json.guild_id).toBeUndefined();
    expect(dm.json.nonce).toBe(key);
    expect(fake.channelMessages(dmChannel!)).toHaveLength(1);
    const text = messageText(dm.json);
    expect(text).toContain('Escalation 1/2: [k3v9] CRITICAL delta · ETH');
    expect(text).toContain('Not acknowledged 10m after the first CRITICAL notice.');
    expect(text).toContain('Acknowledge with the button (commands work in the server only)');
    expect(text).toContain(deliveryMarker(key));
    expect(buttonIds(dm.json)).toEqual(['alert:ack:k3v9']);
    expect(dm.json.mention_roles).toEqual([]);
    // Found again by its marker in the DM channel (a sender that died mid-post).
    expect(await sink.findDelivered(note(payload), key)).toBe(ref);
    expect(await sink.findDelivered(note(payload), 'pgKEY0000000099')).toBeUndefined();
    // An edit (acknowledged) goes to that DM message.
    const acked = group({ delivery: { dmUserId: ADMIN.id }, escalation: { step: 1, steps: 2, afterMs: 600_000 }, editedAt: T0 + 1 });
    acked.alerts[0] = { ...acked.alerts[0]!, ackedBy: 'alice', ackedAt: T0 + 1 };
    expect(await sink.deliver(note(acked, ref), 'pgKEY0000000005')).toEqual({ kind: 'delivered', ref });
    expect(messageText(fake.message(messageId!)!.json)).toContain('acknowledged by alice');
    expect(buttonIds(fake.message(messageId!)!.json)).toEqual([]);
  });

  it('an escalation page in a channel pings the step’s roles only and offers Acknowledge only', async () => {
    const r = await sink.deliver(note(group({ delivery: { channelId: OPS, mentionRoleIds: [ADMIN_ROLE, ALERT_ROLE] }, escalation: { step: 2, steps: 2, afterMs: 1_800_000 } })), 'pgKEY0000000006');
    const m = fake.message(idOf(r.kind === 'delivered' ? r.ref : undefined))!.json;
    expect(m.content).toBe(`<@&${ADMIN_ROLE}> <@&${ALERT_ROLE}>`);
    expect(m.mention_roles).toEqual([ADMIN_ROLE, ALERT_ROLE]);
    expect(buttonIds(m)).toEqual(['alert:ack:k3v9']);
    expect(messageText(m)).toContain('Escalation 2/2: [k3v9] CRITICAL delta · ETH');
  });
});
