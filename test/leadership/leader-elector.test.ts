import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeaderElector } from '../../src/core/leadership/leader-elector.js';
import type { LeaderLease, LeaseGrant, LeaseHolder } from '../../src/core/ports/leader-lease.js';
import { silentLogger } from '../alerts/fixtures.js';

/** The lease row in memory, on a clock the test moves; `down` makes every call fail like a lost database. */
class MemoryLease implements LeaderLease {
  now = 0;
  down = false;
  row: { holder: string; epoch: number; since: number; expiresAt: number } | undefined;

  async acquire(instance: string, ttlMs: number, current?: { epoch: number }): Promise<LeaseGrant | undefined> {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const r = this.row;
    if (r && current && r.holder === instance && r.epoch === current.epoch) {
      r.expiresAt = this.now + ttlMs;
      return { holder: instance, epoch: r.epoch, since: r.since, ttlMs };
    }
    if (r && r.expiresAt > this.now) return undefined;
    this.row = { holder: instance, epoch: (r?.epoch ?? 0) + 1, since: this.now, expiresAt: this.now + ttlMs };
    return { holder: instance, epoch: this.row.epoch, since: this.now, ttlMs };
  }
  async release(instance: string, epoch: number): Promise<void> {
    if (this.row?.holder === instance && this.row.epoch === epoch) this.row.expiresAt = this.now;
  }
  async read(): Promise<LeaseHolder | undefined> {
    return this.row ? { ...this.row, live: this.row.expiresAt > this.now } : undefined;
  }
}

const electors: LeaderElector[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const e of electors.splice(0)) await e.stop();
});

function elector(lease: MemoryLease, instance: string, clock: { now: number }) {
  const events: string[] = [];
  const e = new LeaderElector({
    lease,
    instance,
    ttlMs: 8_000,
    standbyPollMs: 1_000,
    monotonicNow: () => clock.now,
    logger: silentLogger,
    onElected: async (g) => void events.push(`elected ${g.epoch}`),
    onDeposed: (by) => void events.push(`deposed by ${by?.holder ?? '?'} ${by?.epoch ?? '?'}`),
  });
  electors.push(e);
  return { e, events };
}

/** Moves both clocks (the lease's and the electors') and lets the timers run. */
async function advance(lease: MemoryLease, clock: { now: number }, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 250) {
    lease.now += 250;
    clock.now += 250;
    await vi.advanceTimersByTimeAsync(250);
  }
}

describe('LeaderElector', () => {
  it('one leads, the other stands by and takes over after the lease lapses, with a higher epoch', async () => {
    vi.useFakeTimers();
    const lease = new MemoryLease();
    const clock = { now: 0 };
    const a = elector(lease, 'a', clock);
    a.e.start();
    await advance(lease, clock, 250);
    const b = elector(lease, 'b', clock);
    b.e.start();
    await advance(lease, clock, 2_000);
    expect(a.events).toEqual(['elected 1']);
    expect(a.e.fence()).toEqual({ holder: 'a', epoch: 1 });
    expect(b.e.fence()).toBeUndefined();
    expect(b.e.status()).toMatchObject({ role: 'standby', leader: { instance: 'a', epoch: 1 } });

    // a stops renewing (killed without releasing): b waits out the ttl, then leads under epoch 2.
    await a.e.stop();
    lease.row!.expiresAt = lease.now + 8_000 - 2_000; // its last renewal was 2 s ago
    await advance(lease, clock, 5_000);
    expect(b.events).toEqual([]);
    await advance(lease, clock, 2_000);
    expect(b.events).toEqual(['elected 2']);
    expect(b.e.fence()).toEqual({ holder: 'b', epoch: 2 });
  });

  it('a leader that cannot renew stops fencing after three quarters of a ttl, and steps down when another took over', async () => {
    vi.useFakeTimers();
    const lease = new MemoryLease();
    const clock = { now: 0 };
    const a = elector(lease, 'a', clock);
    a.e.start();
    await advance(lease, clock, 500);
    expect(a.e.fence()).toEqual({ holder: 'a', epoch: 1 });

    lease.down = true; // a is cut off from the database; its last renewal was at 0 (elected)
    await advance(lease, clock, 5_000);
    expect(a.e.fence()).toEqual({ holder: 'a', epoch: 1 }); // 5.5 s since: less than ¾ × 8 s
    await advance(lease, clock, 1_000);
    expect(a.e.fence()).toBeUndefined();
    expect(a.e.status()).toMatchObject({ role: 'leader', fenceValid: false });

    // Meanwhile another replica took the expired lease.
    lease.down = false;
    lease.row = { holder: 'b', epoch: 2, since: lease.now, expiresAt: lease.now + 8_000 };
    await advance(lease, clock, 2_500);
    expect(a.events).toEqual(['elected 1', 'deposed by b 2']);
    expect(a.e.fence()).toBeUndefined();
  });

  it('a leader whose database came back before anyone took over renews and fences again', async () => {
    vi.useFakeTimers();
    const lease = new MemoryLease();
    const clock = { now: 0 };
    const a = elector(lease, 'a', clock);
    a.e.start();
    await advance(lease, clock, 500);
    lease.down = true;
    await advance(lease, clock, 10_000);
    expect(a.e.fence()).toBeUndefined();
    lease.down = false; // expired, but nobody took it: same epoch
    await advance(lease, clock, 2_500);
    expect(a.e.fence()).toEqual({ holder: 'a', epoch: 1 });
    expect(a.events).toEqual(['elected 1']);
  });

  it('a clean stop releases the lease so the standby takes over at its next poll', async () => {
    vi.useFakeTimers();
    const lease = new MemoryLease();
    const clock = { now: 0 };
    const a = elector(lease, 'a', clock);
    a.e.start();
    await advance(lease, clock, 250);
    const b = elector(lease, 'b', clock);
    b.e.start();
    await advance(lease, clock, 1_000);
    await a.e.stop();
    await advance(lease, clock, 1_250);
    expect(b.events).toEqual(['elected 2']);
  });
});
