import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { backoffDelay, newIdempotencyKey, retryDelay } from '../../src/core/outbox/backoff.js';
import { Dispatcher } from '../../src/core/outbox/dispatcher.js';
import type { AlertGroupPayload } from '../../src/core/outbox/payload.js';
import { RecordingSink } from '../../src/core/outbox/recording-sink.js';
import type { DeliveryResult, NotificationSink, OutboundNotification } from '../../src/core/outbox/sink.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { recordingLogger, silentLogger, T0 } from '../alerts/fixtures.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function payload(n: number, extra: Partial<AlertGroupPayload> = {}): AlertGroupPayload {
  return {
    type: 'alerts',
    groupId: `g${n}`,
    part: 1,
    parts: 1,
    createdAt: T0,
    alerts: [{ id: n, shortId: `aa${String(n).padStart(2, '0')}`, type: 'utilization', account: 'acc-1', severity: 'CRITICAL', state: 'firing', summary: `alert ${n}`, value: 0.97, threshold: 0.95, startsAt: T0 }],
    ...extra,
  };
}

function setup(sink: NotificationSink = new RecordingSink('test'), opts: { maxAttempts?: number; logger?: ReturnType<typeof recordingLogger>['logger'] } = {}) {
  const store = SqliteStore.open(':memory:');
  cleanups.push(() => store.close());
  const clock = new FakeClock(T0);
  const dispatcher = new Dispatcher({ outbox: store.outbox, sinks: [sink], clock, logger: opts.logger ?? silentLogger, random: () => 0.5, ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}) });
  let k = 0;
  const enqueue = (n: number, targetId?: number) =>
    store.outbox.enqueue({ sink: sink.name, idempotencyKey: `key-${++k}`, kind: targetId ? 'update' : 'fire', payload: payload(n), createdAt: clock.now(), ...(targetId ? { targetId } : {}) });
  return { store, clock, dispatcher, enqueue };
}

describe('backoff', () => {
  test('exponential with equal jitter, capped, never zero', () => {
    const p = { baseMs: 1000, maxMs: 60_000 };
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, p, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, p, () => 0.999999))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(20, p, () => 0.5)).toBe(45_000);
    expect(retryDelay(1, 30_000, p, () => 0.5)).toBe(30_000);
    expect(retryDelay(3, 100, p, () => 0.5)).toBe(3000);
  });

  test('idempotency keys fit a Discord nonce (≤ 25 chars) and do not repeat', () => {
    const keys = Array.from({ length: 10_000 }, newIdempotencyKey);
    expect(new Set(keys).size).toBe(10_000);
    expect(keys.every((k) => k.length <= 25 && /^[A-Za-z0-9_-]+$/.test(k))).toBe(true);
  });
});

describe('Dispatcher', () => {
  test('retries with backoff, pauses the failing sink, then delivers once', async () => {
    const sink = new RecordingSink('test');
    const { store, clock, dispatcher, enqueue } = setup(sink);
    const a = await enqueue(1);
    await enqueue(2);
    sink.failNext({ kind: 'retry', reason: '503' }, { kind: 'retry', reason: '503' });
    expect(await dispatcher.dispatchDue()).toMatchObject({ sent: 0, retried: 1, paused: 1 });
    expect(await store.outbox.get(a.id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: T0 + 750, lastError: '503' });
    clock.advance(749);
    // Row 2 was never tried, but its sink asked for a pause: it waits with row 1.
    expect(await dispatcher.dispatchDue()).toMatchObject({ sent: 0, retried: 0, paused: 1 });
    clock.advance(1);
    expect(await dispatcher.dispatchDue()).toMatchObject({ retried: 1 });
    expect(await store.outbox.get(a.id)).toMatchObject({ attempts: 2, nextAttemptAt: clock.now() + 1500 });
    clock.advance(1500);
    expect(await dispatcher.dispatchDue()).toMatchObject({ sent: 2, retried: 0 });
    expect(sink.attempts).toBe(4);
    expect(sink.posts.map((p) => p.key)).toEqual(['key-1', 'key-2']);
    expect(await store.outbox.counts()).toEqual({ pending: 0, sent: 2, dead: 0, superseded: 0 });
  });

  test('honours Retry-After when it is longer than the backoff', async () => {
    const sink = new RecordingSink('test');
    const { clock, dispatcher, enqueue } = setup(sink);
    await enqueue(1);
    sink.failNext({ kind: 'retry', afterMs: 10_000, reason: '429' });
    await dispatcher.dispatchDue();
    clock.advance(9_999);
    expect((await dispatcher.dispatchDue()).sent).toBe(0);
    clock.advance(1);
    expect((await dispatcher.dispatchDue()).sent).toBe(1);
  });

  test('a permanent failure goes dead, is logged and counted; the rest still goes out', async () => {
    const sink = new RecordingSink('test');
    const log = recordingLogger();
    const { store, dispatcher, enqueue } = setup(sink, { logger: log.logger });
    const bad = await enqueue(1);
    await enqueue(2);
    sink.failNext({ kind: 'permanent', reason: '400 Invalid Form Body' });
    expect(await dispatcher.dispatchDue()).toMatchObject({ sent: 1, dead: 1 });
    expect(await store.outbox.get(bad.id)).toMatchObject({ status: 'dead', lastError: '400 Invalid Form Body' });
    expect(dispatcher.deadCount()).toBe(1);
    expect(log.lines.filter((l) => l['msg'] === 'notification dropped: permanent failure')).toEqual([expect.objectContaining({ level: 50, id: bad.id, reason: '400 Invalid Form Body' })]);
  });

  test('a sink that throws is retried; maxAttempts turns endless failure into dead', async () => {
    const failing: NotificationSink = { name: 'test', supportsIdempotency: false, deliver: () => Promise.reject(new Error('socket hang up')) };
    const { store, clock, dispatcher, enqueue } = setup(failing, { maxAttempts: 3 });
    const row = await enqueue(1);
    for (let i = 0; i < 3; i++) {
      await dispatcher.dispatchDue();
      clock.advance(60_000);
    }
    expect(await store.outbox.get(row.id)).toMatchObject({ status: 'dead', attempts: 3, lastError: 'gave up after 3 attempts: socket hang up' });
  });

  test('an edit waits until the message it edits is sent, then edits it', async () => {
    const sink = new RecordingSink('test');
    const { clock, dispatcher, enqueue } = setup(sink);
    const fire = await enqueue(1);
    await enqueue(1, fire.id);
    sink.failNext({ kind: 'retry', reason: 'down' });
    expect(await dispatcher.dispatchDue()).toMatchObject({ retried: 1, waiting: 0, paused: 1 });
    clock.advance(750);
    expect(await dispatcher.dispatchDue()).toMatchObject({ sent: 2 });
    expect(sink.posts).toHaveLength(1);
    expect(sink.edits).toEqual([expect.objectContaining({ ref: 'm1', notification: expect.objectContaining({ editRef: 'm1', kind: 'update' }) })]);
  });

  test('an edit whose original went dead is posted as a new message', async () => {
    const sink = new RecordingSink('test');
    const { dispatcher, enqueue } = setup(sink);
    const fire = await enqueue(1);
    await enqueue(1, fire.id);
    sink.failNext({ kind: 'permanent', reason: 'unknown channel' });
    expect(await dispatcher.dispatchDue()).toMatchObject({ dead: 1, sent: 1 });
    expect(sink.posts).toHaveLength(1);
    expect(sink.posts[0]?.notification).toMatchObject({ kind: 'update' });
    expect(sink.posts[0]?.notification.editRef).toBeUndefined();
  });

  test('a newer edit supersedes an unsent one: only the latest content is sent', async () => {
    const sink = new RecordingSink('test');
    const { store, dispatcher, enqueue } = setup(sink);
    const fire = await enqueue(1);
    const first = await enqueue(1, fire.id);
    await store.outbox.supersedeEdits(fire.id);
    await enqueue(1, fire.id);
    await dispatcher.dispatchDue();
    expect((await store.outbox.get(first.id))?.status).toBe('superseded');
    expect(sink.edits).toHaveLength(1);
    expect(sink.edits[0]?.key).toBe('key-3');
  });

  test('lost answer between send and mark: the retry carries the same key and posts nothing twice', async () => {
    const recording = new RecordingSink('test');
    let drop = 1;
    // Discord took the post, but the answer never came back (connection reset, or a crash).
    const flaky: NotificationSink = {
      name: 'test',
      supportsIdempotency: true,
      async deliver(n: OutboundNotification, key: string): Promise<DeliveryResult> {
        const r = await recording.deliver(n, key);
        if (drop-- > 0) throw new Error('ECONNRESET');
        return r;
      },
    };
    const { store, clock, dispatcher, enqueue } = setup(flaky);
    const row = await enqueue(1);
    expect((await dispatcher.dispatchDue()).retried).toBe(1);
    clock.advance(1000);
    expect((await dispatcher.dispatchDue()).sent).toBe(1);
    expect(recording.posts).toHaveLength(1);
    expect(recording.duplicates).toBe(1);
    expect(await store.outbox.get(row.id)).toMatchObject({ status: 'sent', sentRef: 'm1' });
  });

  test('overlapping dispatch calls deliver each row once', async () => {
    const recording = new RecordingSink('test');
    const slow: NotificationSink = { name: 'test', supportsIdempotency: false, deliver: async (n, k) => { await new Promise((r) => setTimeout(r, 5)); return recording.deliver(n, k); } };
    const { dispatcher, enqueue } = setup(slow);
    for (let i = 1; i <= 5; i++) await enqueue(i);
    await Promise.all([dispatcher.dispatchDue(), dispatcher.dispatchDue(), dispatcher.dispatchDue()]);
    expect(recording.attempts).toBe(5);
    expect(recording.posts).toHaveLength(5);
  });

  test('a restart resumes: pending rows of the previous process go out, old backoff forgotten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'db.sqlite');
    const clock = new FakeClock(T0);
    const first = SqliteStore.open(path);
    const down = new RecordingSink('test');
    down.setDefault({ kind: 'retry', afterMs: 3_600_000, reason: 'down' });
    for (let i = 1; i <= 3; i++) await first.outbox.enqueue({ sink: 'test', idempotencyKey: `k${i}`, kind: 'fire', payload: payload(i), createdAt: T0 });
    await new Dispatcher({ outbox: first.outbox, sinks: [down], clock, logger: silentLogger }).dispatchDue();
    expect((await first.outbox.counts()).pending).toBe(3);
    await first.close();

    const second = SqliteStore.open(path);
    cleanups.push(() => second.close());
    const up = new RecordingSink('test');
    const d = new Dispatcher({ outbox: second.outbox, sinks: [up], clock, logger: silentLogger });
    expect(await d.resume()).toBe(1);
    expect((await d.dispatchDue()).sent).toBe(3);
    expect(up.posts.map((p) => p.key)).toEqual(['k1', 'k2', 'k3']);
  });

  test('rows of a sink the process does not have stay pending', async () => {
    const { store, dispatcher } = setup();
    await store.outbox.enqueue({ sink: 'discord', idempotencyKey: 'x', kind: 'fire', payload: payload(1), createdAt: T0 });
    expect(await dispatcher.dispatchDue()).toMatchObject({ sent: 0, dead: 0 });
    expect((await store.outbox.counts()).pending).toBe(1);
  });

  test('an unreadable payload goes dead instead of blocking the queue', async () => {
    const sink = new RecordingSink('test');
    const { store, dispatcher, enqueue } = setup(sink);
    await store.outbox.enqueue({ sink: 'test', idempotencyKey: 'old', kind: 'fire', payload: { type: 'alerts', alerts: 'nope' }, createdAt: T0 });
    await enqueue(1);
    expect(await dispatcher.dispatchDue()).toMatchObject({ dead: 1, sent: 1 });
  });
});
