import type { Migration } from './index.js';

/** Who did what to which alert or silence, when, from where; refused attempts included. */
export const m012Audit: Migration = {
  version: 12,
  name: 'audit log of alert actions',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
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
    `);
  },
};
