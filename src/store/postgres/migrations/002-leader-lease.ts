import type { PgMigration } from './index.js';

/**
 * The leader lease of replicas sharing this database (src/store/postgres/pg-leader-lease.ts). Times are
 * ms of the database clock; `epoch` grows with every new holder and fences outbox sends.
 */
export const m002LeaderLease: PgMigration = {
  version: 2,
  name: 'leader lease',
  sql: `
    CREATE TABLE leader_lease (
      name TEXT PRIMARY KEY,
      holder TEXT NOT NULL,
      epoch BIGINT NOT NULL,
      since BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    );
  `,
};
