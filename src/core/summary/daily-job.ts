import type { Logger } from '../ports/logger.js';
import type { KvStore, Store } from '../ports/store.js';
import type { Clock } from '../clock.js';
import { newIdempotencyKey } from '../outbox/backoff.js';
import type { SummaryPayload } from '../outbox/payload.js';
import type { DailySummary } from './types.js';

/** kv key holding the scheduled time (epoch ms) of the last summary handed to the outbox. */
export const SUMMARY_MARKER_KEY = 'summary.daily.lastScheduledFor';

export interface SummaryMarker {
  get(): Promise<number | undefined>;
  set(scheduledFor: number): Promise<void>;
}

export function summaryMarker(kv: KvStore): SummaryMarker {
  return {
    async get() {
      const v = await kv.get(SUMMARY_MARKER_KEY);
      const n = v === undefined ? Number.NaN : Number(v);
      return Number.isFinite(n) ? n : undefined;
    },
    async set(scheduledFor) {
      await kv.set(SUMMARY_MARKER_KEY, String(scheduledFor));
    },
  };
}

export interface DailySummaryJobDeps {
  store: Store;
  build: (now: number, scheduledFor: number) => Promise<DailySummary>;
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
  const newKey = deps.newKey ?? newIdempotencyKey;
  return async (scheduledFor) => {
    const now = deps.clock.now();
    // Built before the transaction: it reads the metrics history, which need not be locked.
    const summary = await deps.build(now, scheduledFor);
    const stored = await deps.store.transaction(async (tx) => {
      const marker = summaryMarker(tx.kv);
      const last = await marker.get();
      if (last !== undefined && last >= scheduledFor) return false;
      const payload: SummaryPayload = { type: 'summary', scheduledFor, timezone: deps.timezone, summary };
      for (const sink of deps.sinks) await tx.outbox.enqueue({ sink, idempotencyKey: newKey(), kind: 'summary', payload, createdAt: now });
      await marker.set(scheduledFor);
      return true;
    });
    deps.logger.info({ job: 'summary', scheduledFor: new Date(scheduledFor).toISOString(), stored }, stored ? 'daily summary stored for delivery' : 'daily summary already sent');
    if (stored) deps.onEnqueued?.();
    return stored;
  };
}
