import { afterEach, describe, expect, test } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { Dispatcher } from '../../src/core/outbox/dispatcher.js';
import type { AlertGroupPayload } from '../../src/core/outbox/payload.js';
import { RecordingSink } from '../../src/core/outbox/recording-sink.js';
import type { OutboundNotification } from '../../src/core/outbox/sink.js';
import type { ClaimResult, OutboxStore, SendFence } from '../../src/core/ports/alerts.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger, T0 } from '../alerts/fixtures.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const payload = (n: number): AlertGroupPayload => ({
  type: 'alerts',
  groupId: `g${n}`,
  part: 1,
  parts: 1,
  createdAt: T0,
  alerts: [{ id: n, shortId: `aa${n}`, type: 'utilization', account: 'acc-1', severity: 'CRITICAL', state: 'firing', summary: `alert ${n}`, value: 0.97, threshold: 0.95, startsAt: T0 }],
});

/** A sink that can find earlier posts by key, as the Discord sink does by the marker in each message. */
class FindingSink extends RecordingSink {
  readonly inChannel = new Map<string, string>();
  lookups = 0;
  async findDelivered(_n: OutboundNotification, key: string): Promise<string | undefined> {
    this.lookups++;
    return this.inChannel.get(key);
  }
}

function setup(opts: { fence?: () => SendFence | undefined; outbox?: (o: OutboxStore) => OutboxStore; sink?: RecordingSink } = {}) {
  const store = SqliteStore.open(':memory:');
  cleanups.push(() => store.close());
  const clock = new FakeClock(T0);
  const sink = opts.sink ?? new FindingSink('test');
  let fenced = 0;
  const dispatcher = new Dispatcher({
    outbox: opts.outbox ? opts.outbox(store.outbox) : store.outbox,
    sinks: [sink],
    clock,
    logger: silentLogger,
    random: () => 0.5,
    onFenced: () => fenced++,
    ...(opts.fence ? { fence: opts.fence } : {}),
  });
  const enqueue = (n: number) => store.outbox.enqueue({ sink: 'test', idempotencyKey: `key-${n}`, kind: 'fire', payload: payload(n), createdAt: clock.now() });
  return { store, clock, sink, dispatcher, enqueue, fenced: () => fenced };
}

describe('sends in flight and fencing', () => {
  test('a row whose send was in flight is looked for first, and marked sent when found', async () => {
    const t = setup();
    const row = await t.enqueue(1);
    // An earlier sender claimed it and died before recording the outcome; its post did land.
    expect(await t.store.outbox.claim(row.id, { holder: 'sole', epoch: 0 }, T0)).toEqual({ kind: 'claimed', wasInFlight: false });
    (t.sink as FindingSink).inChannel.set('key-1', 'chan/123');
    const r = await t.dispatcher.dispatchDue();
    expect(r).toMatchObject({ sent: 0, found: 1 });
    expect(t.sink.posts).toHaveLength(0);
    expect(await t.store.outbox.get(row.id)).toMatchObject({ status: 'sent', sentRef: 'chan/123' });
    expect((await t.store.outbox.get(row.id))?.inFlightSince).toBeUndefined();
  });

  test('not found in the channel: it is sent, once', async () => {
    const t = setup();
    const row = await t.enqueue(2);
    await t.store.outbox.claim(row.id, { holder: 'sole', epoch: 0 }, T0);
    const r = await t.dispatcher.dispatchDue();
    expect(r).toMatchObject({ sent: 1, found: 0 });
    expect((t.sink as FindingSink).lookups).toBe(1);
    expect(t.sink.posts.map((p) => p.key)).toEqual(['key-2']);
  });

  test('a fresh row is sent without a look-up', async () => {
    const t = setup();
    await t.enqueue(3);
    await t.dispatcher.dispatchDue();
    expect((t.sink as FindingSink).lookups).toBe(0);
    expect(t.sink.posts).toHaveLength(1);
  });

  test('without a fence (not the leader) nothing is claimed or sent', async () => {
    const t = setup({ fence: () => undefined });
    const row = await t.enqueue(4);
    const r = await t.dispatcher.dispatchDue();
    expect(r).toMatchObject({ sent: 0 });
    expect(t.sink.attempts).toBe(0);
    expect((await t.store.outbox.get(row.id))?.inFlightSince).toBeUndefined();
  });

  test('a claim the store refuses (the lease moved on) stops the pass and is reported', async () => {
    let claims = 0;
    const refusing = (o: OutboxStore): OutboxStore =>
      new Proxy(o, {
        get: (target, key, receiver) =>
          key === 'claim'
            ? async (): Promise<ClaimResult> => {
                claims++;
                return { kind: 'fenced' };
              }
            : (Reflect.get(target, key, receiver) as unknown),
      });
    const t = setup({ fence: () => ({ holder: 'replica-a', epoch: 3 }), outbox: refusing });
    await t.enqueue(5);
    await t.enqueue(6);
    const r = await t.dispatcher.dispatchDue();
    expect(r).toMatchObject({ sent: 0, fenced: 1 });
    expect(claims).toBe(1);
    expect(t.sink.attempts).toBe(0);
    expect(t.fenced()).toBe(1);
  });
});
