import type { LeaderLease, LeaseGrant, LeaseHolder } from '../../core/ports/leader-lease.js';
import type { PgContext } from './pg-context.js';

/** The database's clock in ms: every replica judges expiry by the same clock. */
export const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';
/**
 * A send is claimed only while the lease has at least this long left, so the post that follows the claim
 * ends before a standby could take the lease over (and a slower one is caught by the nonce and marker).
 */
export const SEND_MARGIN_MS = 1_000;
/** The one lease row (a name, so a second kind of lease could share the table). */
export const LEASE_NAME = 'leader';

/**
 * SQL that is true when the fence given by parameters `holder` and `epoch` (e.g. `$2`, `$3`) still holds
 * the lease. Epoch 0 held by `sole` is a single process that never took a lease (SOLE_SENDER in
 * src/core/outbox/dispatcher.ts): it holds only while no replica ever did. FOR SHARE makes a takeover
 * that commits meanwhile wait until the statement using this is done, so a send claimed under the old
 * epoch was claimed before the new leader took over, never after.
 */
export function fenceHoldsSql(holder: string, epoch: string): string {
  return `CASE WHEN ${epoch}::bigint = 0 AND ${holder}::text = 'sole'
    THEN NOT EXISTS (SELECT 1 FROM leader_lease)
    ELSE EXISTS (SELECT 1 FROM leader_lease WHERE name = '${LEASE_NAME}' AND holder = ${holder}::text AND epoch = ${epoch}::bigint AND expires_at > ${DB_NOW_MS} + ${SEND_MARGIN_MS} FOR SHARE)
  END`;
}

type LeaseRow = { holder: string; epoch: number; since: number; expires_at: number; live: boolean };

/**
 * The lease as one row updated by single statements: INSERT … ON CONFLICT DO UPDATE … WHERE locks the
 * row, so replicas calling at once are serialised by the database and each sees the previous one's
 * result. Epochs start at 1.
 */
export class PostgresLeaderLease implements LeaderLease {
  constructor(private readonly db: PgContext) {}

  async acquire(instance: string, ttlMs: number, current?: { epoch: number }): Promise<LeaseGrant | undefined> {
    // Renewal: this holder, the epoch it was granted, even past expiry as long as nobody took it since.
    const renew = 'leader_lease.holder = EXCLUDED.holder AND leader_lease.epoch = $3::bigint';
    const { rows } = await this.db.query<{ holder: string; epoch: number; since: number }>(
      `INSERT INTO leader_lease (name, holder, epoch, since, expires_at)
       SELECT $1, $2, 1, now_ms, now_ms + $4::bigint FROM (SELECT ${DB_NOW_MS} AS now_ms) AS clock
       ON CONFLICT (name) DO UPDATE SET
         holder = EXCLUDED.holder,
         epoch = CASE WHEN ${renew} THEN leader_lease.epoch ELSE leader_lease.epoch + 1 END,
         since = CASE WHEN ${renew} THEN leader_lease.since ELSE EXCLUDED.since END,
         expires_at = EXCLUDED.expires_at
       WHERE (${renew}) OR leader_lease.expires_at <= EXCLUDED.since
       RETURNING holder, epoch, since`,
      [LEASE_NAME, instance, current?.epoch ?? null, Math.ceil(ttlMs)],
    );
    const row = rows[0];
    return row && { holder: row.holder, epoch: row.epoch, since: row.since, ttlMs };
  }

  async release(instance: string, epoch: number): Promise<void> {
    await this.db.query(`UPDATE leader_lease SET expires_at = LEAST(expires_at, ${DB_NOW_MS}) WHERE name = $1 AND holder = $2 AND epoch = $3`, [LEASE_NAME, instance, epoch]);
  }

  async read(): Promise<LeaseHolder | undefined> {
    const { rows } = await this.db.query<LeaseRow>(
      `SELECT holder, epoch, since, expires_at, expires_at > ${DB_NOW_MS} AS live FROM leader_lease WHERE name = $1`,
      [LEASE_NAME],
    );
    const r = rows[0];
    return r && { holder: r.holder, epoch: r.epoch, since: r.since, expiresAt: r.expires_at, live: r.live };
  }
}
