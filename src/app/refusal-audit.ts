import type { AlertService } from '../core/alerts/service.js';
import type { FeedControl } from '../core/feeds/feed-control.js';
import type { CommandInput } from '../present/command.js';
import { parseAlertButton } from '../present/alert-view.js';
import type { RefusalHook } from '../present/execute.js';
import type { AuditAction } from '../core/ports/alerts.js';

const ALERT_ACTIONS: readonly string[] = ['ack', 'resolve', 'silence', 'unsilence'] satisfies AuditAction[];

/** What a refused admin command was aimed at, for the audit row: an alert id, a silence id or a matcher. */
function targetOf(input: CommandInput): string {
  const o = input.options;
  const parts = ['id', 'silence_id', 'type', 'account', 'symbol', 'source']
    .filter((k) => o[k] !== undefined)
    .map((k) => `${k}=${String(o[k])}`);
  return parts.join(' ') || '(none)';
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The refusal hook every transport passes on: a refused admin action gets an audit row, whoever refused
 * it (the admin check, or the transport before anything ran: a DM, a server outside the allow-list, the
 * cooldown). Alert actions by command or by message button go to the alert audit, a feed failover
 * (`/feeds` with a source) to the feed control's; refusals of anything else are not admin actions.
 */
export function auditRefusals(alerts: AlertService, feeds?: Pick<FeedControl, 'recordRefusal'>): RefusalHook {
  return async (command, input, reason) => {
    const detail = reason ? `refused by the transport (${reason})` : undefined;
    const o = input.options;
    if (command === 'alerts') {
      const action = input.subcommand;
      if (!action || !ALERT_ACTIONS.includes(action)) return;
      await alerts.recordRefusal(input.actor, action as AuditAction, targetOf(input), text(o['comment']) ?? text(o['reason']), detail);
    } else if (command === 'feeds') {
      const source = text(o['source'])?.trim();
      if (source && feeds) await feeds.recordRefusal(input.actor, text(o['symbol']) ?? '', source, text(o['reason']), detail);
    } else if (command === 'button') {
      const b = parseAlertButton(text(o['customId']) ?? '');
      if (b) await alerts.recordRefusal(input.actor, b.action === 'ack' ? 'ack' : 'silence', b.shortId, undefined, detail);
    }
  };
}
