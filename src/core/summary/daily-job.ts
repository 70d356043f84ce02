import type { Logger } from 'pino';
import type { KvStore, Store } from '../../store/types.js';
import type { Clock } from '../clock.js';
import { newIdempotencyKey } from '../outbox/backoff.js';
import type { SummaryPayload } from '../outbox/payload.js';
import type { DailySummary } from './types.js';

/** kv key holding the scheduled time (epoch ms) of the last summary handed to the outbox. */
export const SUMMARY_MARKER_KEY = 'summary.daily.lastScheduledFor';

export interface SummaryMarker {
  get(): number | undefined;
  set(scheduledFor: number): void;
}

export function summaryMarker(kv: KvStore): SummaryMarker {
  return {
    get() {
      const v = kv.get(SUMMARY_MARKER_KEY);
      const n = v === undefined ? Number.NaN : Number(v);
      return Number.isFinite(n) ? n : undefined;
    },
    set(scheduledFor) {
      kv.set(SUMMARY_MARKER_KEY, String(scheduledFor));
    },
  };
}

export interface DailySummaryJobDeps {
  store: Store;
  build: (now: number, scheduledFor: number) => DailySummary;
  sinks: readonly string[];
  timezone: string;
  clock: Clock;
  logger: Logger;
  newKey?: () => string;
  /** Called after the summary was stored, e.g. to wake the dispatcher. */
  onEnqueued?: () => void;
}

/**
 * `sendSummary(scheduledFor)` for the scheduler: builds the summary and stores it in the outbox,
 * together with the marker, in one transaction. The outbox then guarantees delivery, and the marker
 * guarantees each scheduled summary is stored once however often it is asked for (cron, catch-up
 * after a restart, a missed-execution retry). Resolves true when it stored one.
 */
export function createDailySummaryJob(deps: DailySummaryJobDeps): (scheduledFor: number) => Promise<boolean> {
  const marker = summaryMarker(deps.store.kv);
  const newKey = deps.newKey ?? newIdempotencyKey;
  return async (scheduledFor) => {
    const now = deps.clock.now();
    const stored = deps.store.transaction(() => {
      const last = marker.get();
      if (last !== undefined && last >= scheduledFor) return false;
      const payload: SummaryPayload = { type: 'summary', scheduledFor, timezone: deps.timezone, summary: deps.build(now, scheduledFor) };
      for (const sink of deps.sinks) deps.store.outbox.enqueue({ sink, idempotencyKey: newKey(), kind: 'summary', payload, createdAt: now });
      marker.set(scheduledFor);
      return true;
    });
    deps.logger.info({ job: 'summary', scheduledFor: new Date(scheduledFor).toISOString(), stored }, stored ? 'daily summary stored for delivery' : 'daily summary already sent');
    if (stored) deps.onEnqueued?.();
    return stored;
  };
}
