import type { PgMigration } from './index.js';

/**
 * Paging (issue 12), as SQLite's 014: where each alert's escalation chain stands, so a restart or a new
 * leader resumes it; and when a silence was created, so one planned ahead waits for its start. Alerts
 * already paged as CRITICAL start their chain from their last notification (not at once).
 */
export const m014Paging: PgMigration = {
  version: 14,
  name: 'paging: escalation state, planned silences',
  sql: `
    ALTER TABLE alerts ADD COLUMN escalation_from BIGINT;
    ALTER TABLE alerts ADD COLUMN escalation_step INTEGER;
    ALTER TABLE alerts ADD COLUMN escalated_at BIGINT;
    UPDATE alerts SET escalation_from = last_notified_at WHERE state <> 'resolved' AND notified_severity = 'CRITICAL';
    ALTER TABLE silences ADD COLUMN created_at BIGINT;
  `,
};
