import type { AlertRecord, NewAlert } from '../ports/alerts.js';
import type { NoticeReason } from '../outbox/payload.js';
import { fingerprint, SEVERITY_RANK, type Condition } from './rules/index.js';

/** Alertmanager-like timing; `alerts` in the configuration. */
export interface LifecyclePolicy {
  /** Wait before the first notification, so a blip never pages. */
  groupWaitMs: number;
  /** Unacknowledged CRITICAL alerts are sent again after this long. */
  repeatIntervalMs: number;
  /** Evaluations without the condition before the alert resolves. */
  resolveAfterTicks: number;
}

export const DEFAULT_POLICY: LifecyclePolicy = { groupWaitMs: 30_000, repeatIntervalMs: 4 * 3_600_000, resolveAfterTicks: 2 };

export interface Reconciled {
  create: NewAlert[];
  /** Active alerts after this evaluation (changed or not), resolved ones excluded. */
  active: AlertRecord[];
  /** Alerts that resolved in this evaluation. */
  resolved: AlertRecord[];
  /** Rows to write: every alert whose record changed. */
  changed: AlertRecord[];
}

/**
 * One evaluation of the lifecycle state machine, pure:
 * - a new fingerprint starts `pending` (or `firing` at once when groupWait is 0);
 * - `pending` becomes `firing` once groupWait has passed with the condition present;
 * - a present condition refreshes severity/value and resets the clear count; a rise in severity
 *   drops an earlier acknowledgement (the person acknowledged something milder);
 * - an absent condition counts clear ticks; at `resolveAfterTicks` the alert resolves.
 */
export function reconcile(active: readonly AlertRecord[], conditions: readonly Condition[], now: number, policy: LifecyclePolicy): Reconciled {
  const byFp = new Map(conditions.map((c) => [fingerprint(c), c]));
  const out: Reconciled = { create: [], active: [], resolved: [], changed: [] };
  for (const a of active) {
    const c = byFp.get(a.fingerprint);
    byFp.delete(a.fingerprint);
    const next: AlertRecord = { ...a };
    // The wall clock went back since these were stored: measure groupWait and repeatInterval from now,
    // or a pending alert would wait (and a CRITICAL repeat) as long as the jump on top of its interval.
    if (next.startsAt > now) next.startsAt = now;
    if (next.lastNotifiedAt !== undefined && next.lastNotifiedAt > now) next.lastNotifiedAt = now;
    if (c) {
      const escalated = SEVERITY_RANK[c.severity] > SEVERITY_RANK[a.severity];
      Object.assign(next, { severity: c.severity, value: c.value, threshold: c.threshold, summary: c.summary, sources: c.sources, clearTicks: 0 });
      if (escalated && next.ackedAt !== undefined) {
        delete next.ackedAt;
        delete next.ackedBy;
        delete next.ackComment;
      }
      if (next.state === 'pending' && now - next.startsAt >= policy.groupWaitMs) {
        next.state = 'firing';
        next.firedAt = now;
      }
    } else {
      next.clearTicks = a.clearTicks + 1;
      if (next.clearTicks >= policy.resolveAfterTicks) {
        next.state = 'resolved';
        next.resolvedAt = now;
        next.resolvedBy = 'auto';
      }
    }
    if (changedFields(a, next)) {
      next.updatedAt = now;
      out.changed.push(next);
    }
    if (next.state === 'resolved') out.resolved.push(next);
    else out.active.push(next);
  }
  for (const [fp, c] of byFp) {
    const firing = policy.groupWaitMs <= 0;
    out.create.push({
      ...c,
      fingerprint: fp,
      state: firing ? 'firing' : 'pending',
      startsAt: now,
      updatedAt: now,
      ...(firing ? { firedAt: now } : {}),
      clearTicks: 0,
    });
  }
  return out;
}

function changedFields(a: AlertRecord, b: AlertRecord): boolean {
  return (
    a.state !== b.state || a.severity !== b.severity || a.value !== b.value || a.threshold !== b.threshold || a.summary !== b.summary ||
    a.clearTicks !== b.clearTicks || a.ackedAt !== b.ackedAt || a.sources.join(',') !== b.sources.join(',') ||
    a.startsAt !== b.startsAt || a.lastNotifiedAt !== b.lastNotifiedAt
  );
}

export interface Due {
  alert: AlertRecord;
  reason: NoticeReason;
}

/**
 * Which firing alerts need a notification now. Muted alerts (silenced or inhibited) get none; when
 * the mute ends, whatever is still owed (first notice, severity change) goes out then. Alerts whose
 * condition is absent right now are not paged while they count down to resolution.
 */
export function dueNotifications(active: readonly AlertRecord[], now: number, policy: LifecyclePolicy, muted: (a: AlertRecord) => boolean): Due[] {
  const due: Due[] = [];
  for (const a of active) {
    if (a.state !== 'firing' || a.clearTicks > 0 || muted(a)) continue;
    if (a.firstNotifiedAt === undefined) due.push({ alert: a, reason: 'new' });
    else if (a.notifiedSeverity !== undefined && a.notifiedSeverity !== a.severity)
      due.push({ alert: a, reason: SEVERITY_RANK[a.severity] > SEVERITY_RANK[a.notifiedSeverity] ? 'escalated' : 'deescalated' });
    else if (a.severity === 'CRITICAL' && a.ackedAt === undefined && now - (a.lastNotifiedAt ?? a.firstNotifiedAt) >= policy.repeatIntervalMs)
      due.push({ alert: a, reason: 'repeat' });
  }
  return due;
}
