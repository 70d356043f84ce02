import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFlagAuthorization } from '../../src/core/alerts/authorization.js';
import { AlertEngine } from '../../src/core/alerts/engine.js';
import { AlertService } from '../../src/core/alerts/service.js';
import { FakeClock } from '../../src/core/clock.js';
import { Dispatcher } from '../../src/core/outbox/dispatcher.js';
import type { AlertGroupPayload, AlertNotice } from '../../src/core/outbox/payload.js';
import { DiscordSink } from '../../src/discord/discord-sink.js';
import { renderView } from '../../src/discord/render-view.js';
import { createRest } from '../../src/discord/rest.js';
import { notificationView, STORM_LISTED_ALERTS } from '../../src/present/alert-view.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { admin, metrics, riskOf, ruleConfig, silentLogger, snapshotOf } from '../alerts/fixtures.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord, type StoredMessage } from '../fakes/discord/index.js';
import { ALERT_ROLE, ALERTS, fakeOptions } from './bot-fixture.js';
import { buttonIds } from './e2e-helpers.js';
import { limitViolations, visibleText } from './limits-check.js';

const T0 = Date.UTC(2026, 0, 2, 9);

function notice(i: number, severity: AlertNotice['severity'], type: AlertNotice['type'] = 'utilization'): AlertNotice {
  const shortId = i.toString(36).padStart(4, '0');
  return { id: i, shortId, type, account: `acct-${i}`, severity, state: 'firing', reason: 'new', summary: `utilization ${severity === 'CRITICAL' ? 97 : 90}.0% > 85.0%`, value: 0.9, threshold: 0.85, startsAt: T0 };
}

/** 2,000 alerts as the engine orders them: the 20 CRITICAL first. */
function storm(): AlertGroupPayload {
  const alerts = Array.from({ length: 2000 }, (_, i) => notice(i + 1, i < 20 ? 'CRITICAL' : 'WARN', i >= 1990 ? 'delta' : 'utilization'));
  return { type: 'alerts', groupId: 'g1', part: 1, parts: 1, createdAt: T0, alerts };
}

const render = (p: AlertGroupPayload) => renderView(notificationView({ outboxId: 1, kind: 'fire', payload: p, createdAt: T0 }), { channelPost: true });

/** Ids a reader can find in a message: `[id]` in the embeds, or the first column of an attached list. */
function visibleIds(text: string, files: readonly { data: Buffer }[]): Set<string> {
  const ids = new Set([...text.replace(/\\/g, '').matchAll(/\[([0-9a-z]{4})\]/g)].map((m) => m[1]!));
  for (const f of files) for (const line of f.data.toString('utf8').split('\n')) ids.add(/^([0-9a-z]{4})\s/.exec(line)?.[1] ?? '');
  ids.delete('');
  return ids;
}

describe('a storm of 2,000 alerts in one message', () => {
  it('fits every Discord limit, counts them, lists the CRITICAL first and attaches all of them', () => {
    const p = storm();
    const m = render(p);
    expect(limitViolations(m)).toEqual([]);
    expect(m.embeds[0]?.title).toBe('Alert storm: 2,000 alerts — 20 CRITICAL, 1,980 WARN');
    const text = visibleText(m);
    expect(text).toContain('utilization: 20 CRITICAL, 1,970 WARN');
    expect(text).toContain('delta: 10 WARN');
    expect(text).toContain('alerts-2026-01-02T09-00-00Z.txt');
    const fields = m.embeds.flatMap((e) => e.fields ?? []);
    expect(fields).toHaveLength(STORM_LISTED_ALERTS);
    expect(fields.every((f) => f.name.includes('CRITICAL'))).toBe(true);
    expect(m.files.map((f) => f.name)).toEqual(['alerts-2026-01-02T09-00-00Z.txt']);
    expect(visibleIds(text, m.files)).toEqual(new Set(p.alerts.map((a) => a.shortId)));
    // Buttons for the listed ones only (10 alerts × ack + silence), never for the rest.
    const buttons = m.components.flatMap((r) => r.components.map((b) => b.custom_id));
    expect(buttons).toHaveLength(20);
    expect(buttons.every((id) => p.alerts.slice(0, STORM_LISTED_ALERTS).some((a) => id.endsWith(`:${a.shortId}`)))).toBe(true);
  });

  it('an edit after everything resolved says so, keeps the full list and drops the buttons', () => {
    const p = storm();
    const resolved: AlertGroupPayload = { ...p, editedAt: T0 + 60_000, alerts: p.alerts.map((a) => ({ ...a, state: 'resolved', resolvedAt: T0 + 60_000, resolvedBy: 'auto' })) };
    const m = render(resolved);
    expect(limitViolations(m)).toEqual([]);
    expect(m.embeds[0]?.title).toBe('2,000 alerts resolved');
    expect(m.components).toEqual([]);
    expect(m.files[0]?.data.toString('utf8')).toContain('RESOLVED');
    expect(visibleIds(visibleText(m), m.files).size).toBe(2000);
  });

  it('25 alerts are still listed one by one, without a file', () => {
    const p: AlertGroupPayload = { ...storm(), alerts: storm().alerts.slice(0, 25) };
    const m = render(p);
    expect(m.files).toEqual([]);
    expect(m.embeds.flatMap((e) => e.fields ?? [])).toHaveLength(25);
  });
});

describe('a storm through the engine, the outbox and the Discord fake', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('300 alerts due in one tick: one message, every id in it, the 429s retried with the same nonce', async () => {
    const store = SqliteStore.open(':memory:');
    const clock = new FakeClock(T0);
    try {
      const sink = new DiscordSink({ rest: createRest(FAKE_BOT_TOKEN, fake.apiUrl), alertChannelId: ALERTS, alertRoleId: ALERT_ROLE, logger: silentLogger });
      const engine = new AlertEngine({ store, rules: ruleConfig(), policy: { groupWaitMs: 0, repeatIntervalMs: 4 * 3_600_000, resolveAfterTicks: 2 }, sinks: [sink.name], logger: silentLogger });
      const dispatcher = new Dispatcher({ outbox: store.outbox, sinks: [sink], clock, logger: silentLogger });
      const accounts = Array.from({ length: 300 }, (_, i) => `acc-${i + 1}`);
      const risk = riskOf(T0, accounts.map((id, i) => metrics(id, { utilization: i < 7 ? 0.97 : 0.9 })));
      fake.injectRateLimit(/^\/channels\/\d+\/messages$/, 2, 0.05, { method: 'POST' });
      const served = fake.rateLimitsServed;

      expect(await engine.evaluate(snapshotOf(T0, accounts.map((id) => ({ id }))), risk, T0)).toMatchObject({ created: 300, notified: 300, rows: 1 });
      expect(await dispatcher.dispatchDue(T0)).toMatchObject({ sent: 1, retried: 0, dead: 0 });

      const messages: StoredMessage[] = fake.channelMessages(ALERTS);
      expect(messages).toHaveLength(1);
      const m = messages[0]!;
      expect(m.json.content).toBe(`<@&${ALERT_ROLE}>`);
      expect(m.json.attachments[0]?.filename).toMatch(/^alerts-.*\.txt$/);
      const ids = visibleIds(JSON.stringify(m.json.embeds), m.files.map((f) => ({ data: f.bytes })));
      expect(ids).toEqual(new Set((await store.alerts.list({ state: 'all', limit: 1000 })).map((a) => a.shortId)));
      // Ack + silence for the 10 most severe listed: the 7 CRITICAL among them.
      const critical = (await store.alerts.list({ state: 'all', severity: 'CRITICAL', limit: 1000 })).map((a) => `alert:ack:${a.shortId}`);
      expect(critical).toHaveLength(7);
      expect(buttonIds(m.json)).toHaveLength(20);
      expect(buttonIds(m.json)).toEqual(expect.arrayContaining(critical));
      const posts = fake.requestsTo('POST', /^\/channels\/\d+\/messages$/).slice(-3);
      expect(posts.map((r) => r.status)).toEqual([429, 429, 200]);
      expect(new Set(posts.map((r) => (r.body as { nonce?: string }).nonce)).size).toBe(1);
      expect(fake.rateLimitsServed - served).toBe(2);

      // An ack edits the one message: the re-rendered list (re-uploaded) shows who acknowledged it.
      const service = new AlertService({ store, auth: actorFlagAuthorization, clock, logger: silentLogger });
      const target = (await store.alerts.list({ state: 'all', severity: 'WARN', limit: 1 }))[0]!;
      expect((await service.ack(admin, target.shortId, 'on it')).ok).toBe(true);
      expect(await dispatcher.dispatchDue(T0)).toMatchObject({ sent: 1, dead: 0 });
      expect(fake.channelMessages(ALERTS)).toHaveLength(1);
      const edited = fake.channelMessages(ALERTS)[0]!;
      const row = edited.files[0]!.bytes.toString('utf8').split('\n').find((l) => l.startsWith(`${target.shortId} `));
      expect(row).toContain('acknowledged by ann: on it');
      expect(edited.json.attachments).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
