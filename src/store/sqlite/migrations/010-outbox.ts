import type { Migration } from './index.js';

/** The notification outbox: every notification is a row before it is sent (design.md §3 Delivery). */
export const m010Outbox: Migration = {
  version: 10,
  name: 'outbox: notifications stored before they are sent',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sink TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('fire', 'repeat', 'update', 'resolve', 'summary')),
        payload TEXT NOT NULL,
        target_id INTEGER REFERENCES outbox (id),
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead', 'superseded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        sent_ref TEXT,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        dead_at INTEGER
      );
      CREATE INDEX outbox_due ON outbox (status, next_attempt_at, id);
      CREATE INDEX outbox_target ON outbox (target_id);
    `);
  },
};
