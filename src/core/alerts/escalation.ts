import type { AlertRecord } from '../ports/alerts.js';
import type { StoreScope } from '../ports/store.js';
import type { Due } from './lifecycle.js';
import { enqueueEdits, enqueueMessage, type MessageOptions } from './notices.js';
import { durationText, homeChannelOf, type EscalationStep, type PagingPolicy } from './paging.js';

/**
 * The escalation chain (`alerts.escalation`), after Grafana OnCall and PagerDuty: a CRITICAL alert still
 * unacknowledged `after` its first CRITICAL notification pages the step's roles in the alert's channel
 * and DMs the step's users, each page with an Acknowledge button. The steps sent are stored on the alert
 * (`escalationStep`), in the same transaction as the pages, so a restart or a new leader carries on where
 * the chain stood: a step is never sent twice, and a step that fell due while no process ran goes out at
 * the next evaluation. Acknowledging or resolving ends the chain; while a silence, a maintenance window
 * or an inhibition mutes the alert, or its type is `silent` or `off`, nobody is paged.
 */

/** Who pages: the bot itself, in the audit log. */
const ESCALATION_ACTOR = { actorId: 'delta-ops', actorName: 'delta-ops', source: 'delta-ops' } as const;

export interface EscalationDue {
  alert: AlertRecord;
  /** Index into the steps (0 = the first step). */
  step: number;
}

/** Steps due now, in order; several for one alert when a restart kept it from paging the earlier ones. */
function dueEscalations(active: readonly AlertRecord[], now: number, steps: readonly EscalationStep[], skip: (a: AlertRecord) => boolean): EscalationDue[] {
  const due: EscalationDue[] = [];
  for (const a of active) {
    const from = a.escalationFrom;
    if (from === undefined || a.state !== 'firing' || a.severity !== 'CRITICAL' || a.ackedAt !== undefined || a.clearTicks > 0 || skip(a)) continue;
    for (let i = a.escalationStep ?? 0; i < steps.length && now - from >= steps[i]!.after; i++) due.push({ alert: a, step: i });
  }
  return due;
}

function auditDetail(step: EscalationStep, index: number, steps: number, channel: string | undefined): string {
  const who = [
    step.mentionRoleIds.length ? `pinged role${step.mentionRoleIds.length > 1 ? 's' : ''} ${step.mentionRoleIds.join(', ')} in ${channel ? `channel ${channel}` : 'the alert channel'}` : '',
    step.dmUserIds.length ? `sent a DM to ${step.dmUserIds.join(', ')}` : '',
  ].filter(Boolean);
  return `step ${index + 1} of ${steps}, ${durationText(step.after)} without an acknowledgement: ${who.join('; ') || 'nobody to page'}`;
}

export interface EscalateOptions extends Pick<MessageOptions, 'sinks' | 'maxAlertsPerMessage' | 'newKey' | 'silencedUntil'> {
  policy: PagingPolicy;
  /** Alerts that page nobody now (muted, or a `silent`/`off` type). */
  skip: (a: AlertRecord) => boolean;
}

/**
 * Sends the steps due: records them on the alerts and in the audit log, edits the messages already out
 * (they show the step), and stores the pages. Call inside the evaluation's transaction, with the alerts
 * as they stand after this evaluation's notifications. Returns the rows written and the steps sent.
 */
export async function escalate(tx: StoreScope, active: readonly AlertRecord[], now: number, opts: EscalateOptions): Promise<{ rows: number; sent: EscalationDue[] }> {
  const steps = opts.policy.escalation;
  const due = dueEscalations(active, now, steps, opts.skip);
  if (due.length === 0) return { rows: 0, sent: [] };
  const updated = new Map<number, AlertRecord>();
  for (const d of due) updated.set(d.alert.id, { ...d.alert, escalationStep: d.step + 1, escalatedAt: now, updatedAt: now });
  await tx.alerts.updateAll([...updated.values()]);
  for (const d of due) {
    const detail = auditDetail(steps[d.step]!, d.step, steps.length, homeChannelOf(d.alert, opts.policy));
    await tx.audit.append({ at: now, ...ESCALATION_ACTOR, action: 'escalate', target: d.alert.shortId, outcome: 'done', detail });
  }
  // Before the pages exist: they would be edited too, into what they already say.
  let rows = await enqueueEdits(tx, [...updated.keys()], 'update', now, opts);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const atStep: Due[] = due.filter((d) => d.step === i).map((d) => ({ alert: updated.get(d.alert.id)!, reason: 'repeat' }));
    if (atStep.length === 0) continue;
    const escalation = { step: i + 1, steps: steps.length, afterMs: step.after };
    if (step.mentionRoleIds.length > 0) {
      const byChannel = new Map<string | undefined, Due[]>();
      for (const d of atStep) {
        const channel = homeChannelOf(d.alert, opts.policy);
        byChannel.set(channel, [...(byChannel.get(channel) ?? []), d]);
      }
      for (const [channelId, group] of byChannel) rows += await enqueueMessage(tx, group, now, opts, { delivery: { channelId, mentionRoleIds: step.mentionRoleIds }, escalation });
    }
    for (const dmUserId of step.dmUserIds) rows += await enqueueMessage(tx, atStep, now, opts, { delivery: { dmUserId }, escalation });
  }
  return { rows, sent: due };
}
