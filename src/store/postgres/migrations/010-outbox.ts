import type { PgMigration } from './index.js';

/**
 * The notification outbox (design.md §3 Delivery), with the in-flight mark SQLite added in its 013.
 * The payload is JSON text as in SQLite, not JSONB: JSONB reorders keys and refuses \u0000 in strings.
 */
export const m010Outbox: PgMigration = {
  version: 10,
  name: 'outbox: notifications stored before they are sent',
  sql: `
    CREATE TABLE outbox (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      sink TEXT NOT NULL,
      idempotency_key TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('fire', 'repeat', 'update', 'resolve', 'summary')),
      payload TEXT NOT NULL,
      target_id BIGINT REFERENCES outbox (id),
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead', 'superseded')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT NOT NULL,
      last_error TEXT,
      sent_ref TEXT,
      created_at BIGINT NOT NULL,
      sent_at BIGINT,
      dead_at BIGINT,
      in_flight_since BIGINT
    );
    CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
    CREATE INDEX outbox_target ON outbox (target_id);
  `,
};
