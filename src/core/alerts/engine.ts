import type { Logger } from '../ports/logger.js';
import type { AlertRecord } from '../ports/alerts.js';
import type { Store } from '../ports/store.js';
import { newIdempotencyKey } from '../outbox/backoff.js';
import type { RiskReport } from '../risk/types.js';
import type { Snapshot } from '../types.js';
import { DEFAULT_POLICY, dueNotifications, reconcile, type LifecyclePolicy } from './lifecycle.js';
import { escalate } from './escalation.js';
import { windowsInForce, type CronCalendar, type WindowOccurrence } from './maintenance.js';
import { isMuted, mutedUntil, muteState, staleAccounts, type Mutes } from './mute.js';
import { DEFAULT_MAX_ALERTS_PER_MESSAGE, enqueueEdits, enqueueGroup } from './notices.js';
import { DEFAULT_PAGING, deliveriesOf, notifyLevel, type PagingPolicy } from './paging.js';
import { evaluateRules, type FeedHealth, type RuleConfig } from './rules/index.js';
import type { Condition } from './rules/types.js';

export interface AlertEngineDeps {
  store: Store;
  rules: RuleConfig;
  policy?: LifecyclePolicy;
  /** Routes, notification levels, escalation chain, maintenance windows (default: none of them). */
  paging?: PagingPolicy;
  /** Evaluates the maintenance windows' cron times; without it the windows never hold. */
  calendar?: CronCalendar;
  /** Names of the sinks that receive notifications (one outbox row each). */
  sinks: readonly string[];
  maxAlertsPerMessage?: number;
  newKey?: () => string;
  logger: Logger;
  /** Called after notifications were stored, e.g. to wake the dispatcher. */
  onEnqueued?: () => void;
}

export interface EvaluationResult {
  conditions: number;
  created: number;
  resolved: number;
  /** Alerts in the new fire/repeat message(s). */
  notified: number;
  /** Firing alerts held back by a silence, a maintenance window or inhibition. */
  muted: number;
  /** Escalation steps sent (one per alert and step). */
  escalated: number;
  /** Outbox rows written (messages × sinks, plus edits). */
  rows: number;
}

/** Evaluations kept while the store is unreachable: a day of 15 s ticks. */
export const MAX_UNSTORED_EVALUATIONS = 5_760;

/**
 * Rules → lifecycle → outbox, once per tick. The alert changes and the notifications they cause are
 * written in one transaction, so a crash leaves either both or neither. When the store cannot be
 * written (the database unreachable), the tick's conditions are kept in memory and applied in order,
 * each at its own time, once it can: an alert raised during an outage is delivered after it, not lost.
 */
export class AlertEngine {
  private readonly policy: LifecyclePolicy;
  private readonly paging: PagingPolicy;
  private readonly newKey: () => string;
  private unstored: { conditions: Condition[]; now: number }[] = [];

  constructor(private readonly deps: AlertEngineDeps) {
    this.policy = deps.policy ?? DEFAULT_POLICY;
    this.paging = deps.paging ?? DEFAULT_PAGING;
    this.newKey = deps.newKey ?? newIdempotencyKey;
  }

  async evaluate(snapshot: Snapshot, risk: RiskReport, now: number, opts: { feeds?: readonly FeedHealth[] } = {}): Promise<EvaluationResult> {
    const conditions = evaluateRules({ snapshot, risk, now, config: this.deps.rules, ...(opts.feeds ? { feeds: opts.feeds } : {}) });
    this.unstored.push({ conditions, now });
    if (this.unstored.length > MAX_UNSTORED_EVALUATIONS) {
      const dropped = this.unstored.splice(0, this.unstored.length - MAX_UNSTORED_EVALUATIONS);
      this.deps.logger.error({ job: 'alerts', dropped: dropped.length, from: dropped[0]?.now }, 'store unreachable for too long: the oldest unstored alert evaluations are dropped');
    }
    let result: EvaluationResult | undefined;
    const backlog = this.unstored.length;
    while (this.unstored.length > 0) {
      const next = this.unstored[0]!;
      try {
        result = await this.apply(next.conditions, next.now);
      } catch (err) {
        this.deps.logger.error({ job: 'alerts', unstored: this.unstored.length, since: new Date(next.now).toISOString(), err }, 'alerts not stored (store unreachable?): kept in memory, applied when it answers');
        throw err;
      }
      this.unstored.shift();
    }
    if (backlog > 1) this.deps.logger.warn({ job: 'alerts', evaluations: backlog }, 'store reachable again: the alert evaluations kept in memory were applied in order');
    return result!;
  }

  /** Evaluations waiting for the store (0 normally). */
  unstoredCount(): number {
    return this.unstored.length;
  }

  private async apply(conditions: readonly Condition[], now: number): Promise<EvaluationResult> {
    const { store } = this.deps;
    const result = await store.transaction(async (tx): Promise<EvaluationResult> => {
      const rec = reconcile(await tx.alerts.active(), conditions, now, this.policy);
      await tx.alerts.updateAll(rec.changed);
      const created: AlertRecord[] = [];
      for (const a of rec.create) created.push(await tx.alerts.insert(a));
      const all: AlertRecord[] = [...rec.active, ...created];
      const mutes: Mutes = { silences: await tx.silences.list(now), windows: this.windowsAt(now) };
      const stale = staleAccounts(all);
      const mutedNow = (a: AlertRecord): boolean => isMuted(muteState(a, mutes, stale, now));
      let muted = 0;
      const due = dueNotifications(all, now, this.policy, (a) => {
        // `off`: listed, never posted (and so never escalated).
        if (notifyLevel(this.paging, a.type) === 'off') return true;
        const m = mutedNow(a);
        if (m && a.state === 'firing') muted++;
        return m;
      });
      const silencedUntil = (a: AlertRecord): number | undefined => mutedUntil(a, mutes, now);
      const messages = { sinks: this.deps.sinks, maxAlertsPerMessage: this.deps.maxAlertsPerMessage ?? DEFAULT_MAX_ALERTS_PER_MESSAGE, newKey: this.newKey, silencedUntil };
      let rows = await enqueueGroup(tx, due, now, { ...messages, deliveries: (a) => deliveriesOf(a, this.paging) });
      const current = new Map(all.map((a) => [a.id, a]));
      const notified = due.map(({ alert }): AlertRecord => {
        const next: AlertRecord = { ...alert, firstNotifiedAt: alert.firstNotifiedAt ?? now, lastNotifiedAt: now, notifiedSeverity: alert.severity, updatedAt: now };
        // The escalation chain counts from the first notification as CRITICAL.
        if (alert.severity === 'CRITICAL' && next.escalationFrom === undefined) next.escalationFrom = now;
        current.set(next.id, next);
        return next;
      });
      await tx.alerts.updateAll(notified);
      const escalation = await escalate(tx, [...current.values()], now, {
        ...messages,
        policy: this.paging,
        skip: (a) => notifyLevel(this.paging, a.type) !== 'on' || mutedNow(a),
      });
      rows += escalation.rows;
      const notifiedResolved = rec.resolved.filter((a) => a.firstNotifiedAt !== undefined).map((a) => a.id);
      rows += await enqueueEdits(tx, notifiedResolved, 'resolve', now, { newKey: this.newKey, silencedUntil });
      return { conditions: conditions.length, created: created.length, resolved: rec.resolved.length, notified: due.length, muted, escalated: escalation.sent.length, rows };
    });
    const log = { job: 'alerts', ...result };
    if (result.rows > 0 || result.created > 0 || result.resolved > 0) this.deps.logger.info(log, 'alerts evaluated');
    else this.deps.logger.debug(log, 'alerts evaluated');
    if (result.rows > 0) this.deps.onEnqueued?.();
    return result;
  }

  /** The maintenance windows in force at `now`. */
  private windowsAt(now: number): WindowOccurrence[] {
    const { calendar } = this.deps;
    return calendar && this.paging.maintenance.length ? windowsInForce(this.paging.maintenance, calendar, now) : [];
  }
}
