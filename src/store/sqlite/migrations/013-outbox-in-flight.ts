import type { Migration } from './index.js';

/** When a send started and its outcome was not yet recorded: the row may already be in the channel. */
export const m013OutboxInFlight: Migration = {
  version: 13,
  name: 'outbox sends in flight',
  up(db) {
    db.exec('ALTER TABLE outbox ADD COLUMN in_flight_since INTEGER');
  },
};
