import type { Logger } from '../ports/logger.js';
import type { SendFence } from '../ports/alerts.js';
import type { LeaderLease, LeaseGrant, LeaseHolder } from '../ports/leader-lease.js';

export type Role = 'standby' | 'leader';

export interface LeadershipStatus {
  instance: string;
  role: Role;
  /** Who leads as far as this instance knows, and since when (database clock, ms). */
  leader?: { instance: string; since: number; epoch: number };
  /** Leader only: false while its lease could not be renewed in time (it sends nothing then). */
  fenceValid?: boolean;
}

export interface LeaderElectorDeps {
  lease: LeaderLease;
  instance: string;
  ttlMs: number;
  standbyPollMs: number;
  /** A clock that never jumps (performance.now): lease validity is measured locally on it. */
  monotonicNow: () => number;
  logger: Logger;
  /** Called once when this instance first takes the lease: start leading (sync, alerts, outbox, Discord). */
  onElected: (grant: LeaseGrant) => Promise<void>;
  /**
   * Called once when another instance holds the lease that this one held: it must stop at once (the
   * fence already refuses its sends). The process exits and comes back as a standby.
   */
  onDeposed: (by: LeaseHolder | undefined) => void;
}

/**
 * One leader among replicas, on a lease in the shared database (Kubernetes' leader election, on a
 * row instead of a ConfigMap). A standby asks for the lease every `standbyPollMs`; the leader renews it
 * every quarter of its ttl. The leader's fence (holder and epoch) is valid for three quarters of a ttl after the start
 * of its last successful renewal, on a clock that never jumps: past that it sends nothing, even before
 * the database says so, because a standby may already have taken over.
 */
export class LeaderElector {
  private role: Role = 'standby';
  private grant: LeaseGrant | undefined;
  private validUntil = -Infinity;
  private known: LeaseHolder | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failing = false;
  private lapsedLogged = false;

  constructor(private readonly deps: LeaderElectorDeps) {}

  start(): void {
    this.deps.logger.info({ job: 'leader', ttlMs: this.deps.ttlMs }, 'standby: waiting for the leader lease');
    void this.step();
  }

  /** The fence to claim outbox sends with; undefined unless this instance leads with a valid lease. */
  fence(): SendFence | undefined {
    if (this.role !== 'leader' || !this.grant) return undefined;
    if (this.deps.monotonicNow() >= this.validUntil) {
      if (!this.lapsedLogged) {
        this.lapsedLogged = true;
        this.deps.logger.error({ job: 'leader', epoch: this.grant.epoch }, 'leader lease not renewed in time: sending nothing until the database answers');
      }
      return undefined;
    }
    return { holder: this.deps.instance, epoch: this.grant.epoch };
  }

  status(): LeadershipStatus {
    const s: LeadershipStatus = { instance: this.deps.instance, role: this.role };
    if (this.role === 'leader' && this.grant) {
      s.leader = { instance: this.deps.instance, since: this.grant.since, epoch: this.grant.epoch };
      s.fenceValid = this.fence() !== undefined;
    } else if (this.known?.live) {
      s.leader = { instance: this.known.holder, since: this.known.since, epoch: this.known.epoch };
    }
    return s;
  }

  /** Stops asking; a leader gives the lease up so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.role === 'leader' && this.grant) {
      await this.deps.lease.release(this.deps.instance, this.grant.epoch).catch((err: unknown) => this.deps.logger.warn({ job: 'leader', err }, 'could not release the leader lease; it expires by itself'));
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.step(), ms);
    this.timer.unref();
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    const startedAt = this.deps.monotonicNow();
    try {
      const grant = await this.deps.lease.acquire(this.deps.instance, this.deps.ttlMs, this.role === 'leader' ? this.grant : undefined);
      if (this.failing) this.deps.logger.info({ job: 'leader', role: this.role }, 'lease store reachable again');
      this.failing = false;
      if (grant) await this.granted(grant, startedAt);
      else await this.refused();
    } catch (err) {
      if (!this.failing) this.deps.logger.warn({ job: 'leader', role: this.role, err }, 'cannot reach the lease store; retrying');
      this.failing = true;
    }
    if (this.stopped) return;
    this.schedule(this.role === 'leader' ? Math.max(250, Math.floor(this.deps.ttlMs / 4)) : this.deps.standbyPollMs);
  }

  private async granted(grant: LeaseGrant, startedAt: number): Promise<void> {
    // A quarter of the ttl short of the database's expiry: the post after a claim ends before it.
    this.validUntil = startedAt + grant.ttlMs * 0.75;
    this.lapsedLogged = false;
    this.grant = grant;
    if (this.role === 'leader') return;
    this.role = 'leader';
    this.deps.logger.info({ job: 'leader', epoch: grant.epoch, since: new Date(grant.since).toISOString() }, 'elected leader: starting sync, alerts, outbox and Discord');
    await this.deps.onElected(grant);
  }

  private async refused(): Promise<void> {
    const holder = await this.deps.lease.read();
    const wasLeader = this.role === 'leader';
    const changed = holder?.holder !== this.known?.holder || holder?.epoch !== this.known?.epoch;
    this.known = holder;
    if (wasLeader) {
      this.role = 'standby';
      this.grant = undefined;
      this.stopped = true;
      this.deps.logger.error({ job: 'leader', leader: holder?.holder, epoch: holder?.epoch }, 'lost the leader lease to another instance: stopping');
      this.deps.onDeposed(holder);
      return;
    }
    if (changed && holder) this.deps.logger.info({ job: 'leader', leader: holder.holder, epoch: holder.epoch, since: new Date(holder.since).toISOString() }, 'standby: another instance leads');
  }
}
