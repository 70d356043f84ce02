import type { AlertService } from '../core/alerts/service.js';
import type { CommandInput } from '../present/command.js';
import type { RefusalHook } from '../present/execute.js';
import type { AuditAction } from '../store/alert-types.js';

const ALERT_ACTIONS: readonly string[] = ['ack', 'resolve', 'silence', 'unsilence'] satisfies AuditAction[];

/** What a refused admin command was aimed at, for the audit row: an alert id, a silence id or a matcher. */
function targetOf(input: CommandInput): string {
  const o = input.options;
  const parts = ['id', 'silence_id', 'type', 'account', 'symbol', 'source']
    .filter((k) => o[k] !== undefined)
    .map((k) => `${k}=${String(o[k])}`);
  return parts.join(' ') || '(none)';
}

/** The refusal hook every transport passes to executeCommand: refusals of alert actions are audited. */
export function auditRefusals(alerts: AlertService): RefusalHook {
  return (command, input) => {
    const action = command === 'alerts' ? input.subcommand : undefined;
    if (action && ALERT_ACTIONS.includes(action)) {
      const comment = input.options['comment'] ?? input.options['reason'];
      alerts.recordRefusal(input.actor, action as AuditAction, targetOf(input), typeof comment === 'string' ? comment : undefined);
    }
  };
}
