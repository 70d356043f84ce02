import type { Migration } from './index.js';

/** Alerts (one active per fingerprint), the messages that carry them, and silences. */
export const m011Alerts: Migration = {
  version: 11,
  name: 'alerts: lifecycle, message links, silences',
  up(db) {
    db.exec(`
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        short_id TEXT UNIQUE,
        fingerprint TEXT NOT NULL,
        type TEXT NOT NULL,
        account TEXT,
        symbol TEXT,
        severity TEXT NOT NULL CHECK (severity IN ('INFO', 'WARN', 'CRITICAL')),
        state TEXT NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
        summary TEXT NOT NULL,
        value REAL NOT NULL,
        threshold REAL NOT NULL,
        sources TEXT NOT NULL DEFAULT '[]',
        starts_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        fired_at INTEGER,
        first_notified_at INTEGER,
        last_notified_at INTEGER,
        notified_severity TEXT,
        acked_by TEXT,
        acked_at INTEGER,
        ack_comment TEXT,
        resolved_at INTEGER,
        resolved_by TEXT,
        resolve_comment TEXT,
        clear_ticks INTEGER NOT NULL DEFAULT 0
      );
      CREATE UNIQUE INDEX alerts_active_fingerprint ON alerts (fingerprint) WHERE state <> 'resolved';
      CREATE INDEX alerts_state ON alerts (state);
      CREATE INDEX alerts_fired_at ON alerts (fired_at);
      CREATE INDEX alerts_acked_at ON alerts (acked_at);
      CREATE INDEX alerts_resolved_at ON alerts (resolved_at);

      CREATE TABLE alert_messages (
        outbox_id INTEGER NOT NULL REFERENCES outbox (id),
        alert_id INTEGER NOT NULL REFERENCES alerts (id),
        PRIMARY KEY (outbox_id, alert_id)
      ) WITHOUT ROWID;
      CREATE INDEX alert_messages_alert ON alert_messages (alert_id);

      CREATE TABLE silences (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT,
        account TEXT,
        symbol TEXT,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        expired_by TEXT
      );
      CREATE INDEX silences_ends_at ON silences (ends_at);
    `);
  },
};
