/**
 * The leader lease of several replicas sharing one database. At most one instance holds it at a time;
 * each new holder gets a higher epoch (the fencing token every outbox send is claimed with). Expiry is
 * judged by the database's clock, so the replicas' clocks need not agree.
 */
export interface LeaseGrant {
  holder: string;
  epoch: number;
  /** When this holder first took it (ms since the epoch, database clock). */
  since: number;
  /** Milliseconds the grant is valid for from when the call was made. */
  ttlMs: number;
}

export interface LeaseHolder {
  holder: string;
  epoch: number;
  since: number;
  expiresAt: number;
  /** Whether it was still valid when read. */
  live: boolean;
}

export interface LeaderLease {
  /**
   * Takes the lease if it is free or expired, or renews it if `current` still holds it (even past
   * expiry, as long as nobody took it meanwhile). Undefined: another instance holds it.
   */
  acquire(instance: string, ttlMs: number, current?: { epoch: number }): Promise<LeaseGrant | undefined>;
  /** Gives it up at once (a clean shutdown), so a standby takes over without waiting for expiry. */
  release(instance: string, epoch: number): Promise<void>;
  /** Who holds it now, if anyone ever did. */
  read(): Promise<LeaseHolder | undefined>;
}
