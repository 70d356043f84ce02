import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertGroupPayload, SummaryPayload } from '../../src/core/outbox/payload.js';
import type { OutboundNotification } from '../../src/core/outbox/sink.js';
import { DiscordSink } from '../../src/discord/discord-sink.js';
import { createRest } from '../../src/discord/rest.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { ALERT_ROLE, ALERTS, fakeOptions, SUMMARY, type LogLine } from './bot-fixture.js';
import { buttonIds, messageText } from './e2e-helpers.js';

const T0 = Date.UTC(2026, 0, 2, 9);

function alerts(severity: 'WARN' | 'CRITICAL', extra: Partial<AlertGroupPayload['alerts'][number]> = {}): AlertGroupPayload {
  return {
    type: 'alerts',
    groupId: 'g1',
    part: 1,
    parts: 1,
    createdAt: T0,
    alerts: [{ id: 1, shortId: 'k3v9', type: 'delta', symbol: 'ETH', severity, state: 'firing', reason: 'new', summary: 'ETH deviation 20.0% > 10.0% (net -1)', value: 0.2, threshold: 0.1, startsAt: T0, ...extra }],
  };
}

const summary: SummaryPayload = {
  type: 'summary',
  scheduledFor: T0,
  timezone: 'UTC',
  summary: {
    scheduledFor: T0,
    generatedAt: T0,
    windowMs: 86_400_000,
    target: 0.75,
    tolerance: 0.1,
    accounts: [],
    portfolio: { utilization: { now: 0.4429 } },
    symbols: [],
    alerts: { fired: 0, acknowledged: 0, resolved: 0, openCritical: [] },
  },
};

let outboxId = 0;
const note = (payload: OutboundNotification['payload'], editRef?: string): OutboundNotification => ({
  outboxId: ++outboxId,
  kind: editRef ? 'update' : payload.type === 'summary' ? 'summary' : 'fire',
  payload,
  createdAt: T0,
  ...(editRef ? { editRef } : {}),
});

describe('DiscordSink against the fake', () => {
  let fake: FakeDiscord;
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
  const sink = (over: Partial<ConstructorParameters<typeof DiscordSink>[0]> = {}) =>
    new DiscordSink({ rest: createRest(FAKE_BOT_TOKEN, fake.apiUrl), alertChannelId: ALERTS, summaryChannelId: SUMMARY, alertRoleId: ALERT_ROLE, logger, ...over });

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('a repeated delivery with the same key returns the first message (nonce + enforce_nonce): posted once', async () => {
    const s = sink();
    const before = fake.channelMessages(ALERTS).length;
    const a = await s.deliver(note(alerts('CRITICAL')), 'doKEY0000000001');
    const b = await s.deliver(note(alerts('CRITICAL')), 'doKEY0000000001');
    expect(a).toEqual(b);
    expect(a).toMatchObject({ kind: 'delivered', ref: expect.stringMatching(new RegExp(`^${ALERTS}/\\d+$`)) });
    expect(fake.channelMessages(ALERTS).length).toBe(before + 1);
    const m = fake.channelMessages(ALERTS).at(-1)!.json;
    expect(m.content).toBe(`<@&${ALERT_ROLE}>`);
    expect(buttonIds(m)).toEqual(['alert:ack:k3v9', 'alert:silence1h:k3v9']);
  });

  it('WARN alerts ping nobody; an edit goes to the message of the ref and drops the mention', async () => {
    const s = sink();
    const warn = await s.deliver(note(alerts('WARN')), 'doKEY0000000002');
    expect(warn.kind).toBe('delivered');
    const ref = warn.kind === 'delivered' ? warn.ref! : '';
    const id = ref.split('/')[1]!;
    expect(fake.message(id)?.json.mention_roles).toEqual([]);
    expect(fake.message(id)?.json.content).toBe('');
    const edit = await s.deliver(note(alerts('WARN', { ackedBy: 'alice', ackedAt: T0 + 60_000 }), ref), 'doKEY0000000003');
    expect(edit).toEqual({ kind: 'delivered', ref });
    expect(messageText(fake.message(id)?.json)).toContain('acknowledged by alice');
    expect(fake.message(id)?.history).toHaveLength(2);
  });

  it('a long 429 is handed back to the outbox with Retry-After instead of holding the dispatcher', async () => {
    fake.injectRateLimit(new RegExp(`^/channels/${SUMMARY}/messages$`), 1, 30, { method: 'POST' });
    const before = fake.channelMessages(SUMMARY).length;
    const r = await sink().deliver(note(summary), 'doKEY0000000004');
    expect(r).toMatchObject({ kind: 'retry', reason: expect.stringContaining('rate limited') });
    expect(r.kind === 'retry' ? r.afterMs : 0).toBeGreaterThanOrEqual(29_000);
    expect(fake.channelMessages(SUMMARY).length).toBe(before);
  });

  it('5xx beyond discord.js’s own retries → retry; unknown channel → permanent; no channel → permanent', async () => {
    fake.injectServerError(new RegExp(`^/channels/${ALERTS}/messages$`), 4, 502, { method: 'POST' });
    expect(await sink().deliver(note(alerts('WARN')), 'doKEY0000000005')).toMatchObject({ kind: 'retry', reason: 'Discord HTTP 502' });
    expect(await sink().deliver(note(alerts('WARN')), 'doKEY0000000005')).toMatchObject({ kind: 'delivered' });
    expect(await sink({ alertChannelId: '1299999999999999999' }).deliver(note(alerts('WARN')), 'doKEY0000000006')).toEqual({ kind: 'permanent', reason: 'Discord 404 10003: Unknown Channel' });
    expect(await sink({ alertChannelId: undefined }).deliver(note(alerts('WARN')), 'doKEY0000000007')).toMatchObject({ kind: 'permanent', reason: expect.stringContaining('ALERT_CHANNEL_ID') });
  });

  it('a connection failure (nothing listening) → retry', async () => {
    const closed = new DiscordSink({ rest: createRest(FAKE_BOT_TOKEN, 'http://127.0.0.1:9/api'), alertChannelId: ALERTS, logger });
    expect(await closed.deliver(note(alerts('WARN')), 'doKEY0000000009')).toMatchObject({ kind: 'retry', reason: expect.stringMatching(/^network: /) });
  });

  it('a summary whose chart fails is posted without it, and the failure is logged', async () => {
    const r = await sink({ chart: () => Promise.reject(new Error('canvas exploded')) }).deliver(note(summary), 'doKEY0000000008');
    expect(r.kind).toBe('delivered');
    const m = fake.channelMessages(SUMMARY).at(-1)!.json;
    expect(m.attachments).toEqual([]);
    expect(messageText(m)).toContain('Daily utilization summary');
    expect(logs.some((l) => l.msg === 'summary chart failed; posting the summary without it')).toBe(true);
  });
});
