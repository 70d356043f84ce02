import type { Logger } from 'pino';
import type { AlertRecord } from '../../store/alert-types.js';
import type { Store } from '../../store/types.js';
import { newIdempotencyKey } from '../outbox/backoff.js';
import type { RiskReport } from '../risk/types.js';
import type { Snapshot } from '../types.js';
import { DEFAULT_POLICY, dueNotifications, reconcile, type LifecyclePolicy } from './lifecycle.js';
import { isMuted, muteState, silenceFor, staleAccounts } from './mute.js';
import { DEFAULT_MAX_ALERTS_PER_MESSAGE, enqueueEdits, enqueueGroup } from './notices.js';
import { evaluateRules, type FeedHealth, type RuleConfig } from './rules/index.js';

export interface AlertEngineDeps {
  store: Store;
  rules: RuleConfig;
  policy?: LifecyclePolicy;
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
  /** Firing alerts held back by a silence or inhibition. */
  muted: number;
  /** Outbox rows written (messages × sinks, plus edits). */
  rows: number;
}

/**
 * Rules → lifecycle → outbox, once per tick. The alert changes and the notifications they cause are
 * written in one transaction, so a crash leaves either both or neither.
 */
export class AlertEngine {
  private readonly policy: LifecyclePolicy;
  private readonly newKey: () => string;

  constructor(private readonly deps: AlertEngineDeps) {
    this.policy = deps.policy ?? DEFAULT_POLICY;
    this.newKey = deps.newKey ?? newIdempotencyKey;
  }

  evaluate(snapshot: Snapshot, risk: RiskReport, now: number, opts: { feeds?: readonly FeedHealth[] } = {}): EvaluationResult {
    const { store } = this.deps;
    const conditions = evaluateRules({ snapshot, risk, now, config: this.deps.rules, ...(opts.feeds ? { feeds: opts.feeds } : {}) });
    const result = store.transaction((): EvaluationResult => {
      const rec = reconcile(store.alerts.active(), conditions, now, this.policy);
      for (const a of rec.changed) store.alerts.update(a);
      const created = rec.create.map((a) => store.alerts.insert(a));
      const all: AlertRecord[] = [...rec.active, ...created];
      const silences = store.silences.list(now);
      const stale = staleAccounts(all);
      let muted = 0;
      const due = dueNotifications(all, now, this.policy, (a) => {
        const m = isMuted(muteState(a, silences, stale, now));
        if (m && a.state === 'firing') muted++;
        return m;
      });
      const silencedUntil = (a: AlertRecord): number | undefined => silenceFor(a, silences, now)?.endsAt;
      let rows = enqueueGroup(store, due, now, {
        sinks: this.deps.sinks,
        maxAlertsPerMessage: this.deps.maxAlertsPerMessage ?? DEFAULT_MAX_ALERTS_PER_MESSAGE,
        newKey: this.newKey,
        silencedUntil,
      });
      for (const { alert } of due) {
        store.alerts.update({ ...alert, firstNotifiedAt: alert.firstNotifiedAt ?? now, lastNotifiedAt: now, notifiedSeverity: alert.severity, updatedAt: now });
      }
      const notifiedResolved = rec.resolved.filter((a) => a.firstNotifiedAt !== undefined).map((a) => a.id);
      rows += enqueueEdits(store, notifiedResolved, 'resolve', now, { newKey: this.newKey, silencedUntil });
      return { conditions: conditions.length, created: created.length, resolved: rec.resolved.length, notified: due.length, muted, rows };
    });
    const log = { job: 'alerts', ...result };
    if (result.rows > 0 || result.created > 0 || result.resolved > 0) this.deps.logger.info(log, 'alerts evaluated');
    else this.deps.logger.debug(log, 'alerts evaluated');
    if (result.rows > 0) this.deps.onEnqueued?.();
    return result;
  }
}
