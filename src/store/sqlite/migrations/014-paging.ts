import type { Migration } from './index.js';

/**
 * Paging (issue 12): where each alert's escalation chain stands, so a restart resumes it; and when a
 * silence was created, so one planned ahead waits for its start. Alerts already paged as CRITICAL
 * start their chain from their last notification (not at once).
 */
export const m014Paging: Migration = {
  version: 14,
  name: 'paging: escalation state, planned silences',
  up(db) {
    db.exec(`
      ALTER TABLE alerts ADD COLUMN escalation_from INTEGER;
      ALTER TABLE alerts ADD COLUMN escalation_step INTEGER;
      ALTER TABLE alerts ADD COLUMN escalated_at INTEGER;
      UPDATE alerts SET escalation_from = last_notified_at WHERE state <> 'resolved' AND notified_severity = 'CRITICAL';
      ALTER TABLE silences ADD COLUMN created_at INTEGER;
    `);
  },
};
