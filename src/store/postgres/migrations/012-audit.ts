import type { PgMigration } from './index.js';

/** Who did what to which alert or silence, when, from where; refused attempts included. */
export const m012Audit: PgMigration = {
  version: 12,
  name: 'audit log of alert actions',
  sql: `
    CREATE TABLE audit_log (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at BIGINT NOT NULL,
      actor_id TEXT NOT NULL,
      actor_name TEXT NOT NULL,
      source TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      comment TEXT,
      outcome TEXT NOT NULL CHECK (outcome IN ('done', 'refused', 'invalid')),
      detail TEXT
    );
    CREATE INDEX audit_log_at ON audit_log (at);
  `,
};
