import type { AlertService } from '../src/core/alerts/service.js';
import { AUDIT_ACTIONS, type AuditFilter } from '../src/core/ports/alerts.js';
import type { Command, CommandInput } from '../src/present/command.js';
import { auditView } from '../src/present/audit-view.js';
import type { View } from '../src/present/view.js';

/** What /audit needs: the audit log, read through the alert service. */
export interface AuditCommandCtx {
  alerts: Pick<AlertService, 'auditLog'>;
}

/** `refused` lists every refused attempt, whatever its action. */
const ACTION_CHOICES = [...AUDIT_ACTIONS, 'refused'] as const;
const AUDIT_DEFAULT_LIMIT = 25;
const MAX_LIMIT = 1000;

function str(input: CommandInput, name: string): string | undefined {
  const v = input.options[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export const auditCommand = {
  name: 'audit',
  description: 'The audit log, newest first: acks, resolves, silences, failovers, syncs and refused attempts',
  admin: true,
  options: [
    { name: 'limit', description: `How many entries (default ${AUDIT_DEFAULT_LIMIT})`, type: 'integer', min: 1, max: MAX_LIMIT },
    { name: 'actor', description: 'Only this person: their name or user id', type: 'string', maxLength: 64 },
    { name: 'action', description: 'Only this action, or "refused" for every refused attempt', type: 'string', choices: ACTION_CHOICES.map((a) => ({ name: a, value: a })) },
  ],
  async handle(ctx, input): Promise<View> {
    const rawLimit = input.options['limit'];
    const limit = typeof rawLimit === 'number' && Number.isFinite(rawLimit) ? Math.min(MAX_LIMIT, Math.max(1, Math.trunc(rawLimit))) : AUDIT_DEFAULT_LIMIT;
    const filter: AuditFilter = { limit };
    const actor = str(input, 'actor');
    if (actor) filter.actor = actor;
    const rawAction = str(input, 'action')?.toLowerCase();
    const action = ACTION_CHOICES.find((a) => a === rawAction);
    if (rawAction && !action) return { title: 'Not done', tone: 'warn', lines: [`Unknown action "${rawAction.slice(0, 32)}"; one of ${ACTION_CHOICES.join(', ')}.`], ephemeral: true };
    if (action === 'refused') filter.outcome = 'refused';
    else if (action) filter.action = action;
    const text = [actor ? `actor=${actor}` : '', action ? `action=${action}` : ''].filter(Boolean).join(' ');
    return auditView(await ctx.alerts.auditLog(filter), { filter: text, limit });
  },
} satisfies Command<AuditCommandCtx>;
