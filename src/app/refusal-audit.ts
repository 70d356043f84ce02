import { NOT_AN_ADMIN, refusalDetail } from '../core/alerts/authorization.js';
import type { AlertService } from '../core/alerts/service.js';
import type { FeedControl } from '../core/feeds/feed-control.js';
import type { CommandInput } from '../present/command.js';
import { parseAlertButton } from '../present/alert-view.js';
import type { RefusalHook } from '../present/execute.js';
import type { AuditAction } from '../core/ports/alerts.js';

const ALERT_ACTIONS: readonly string[] = ['ack', 'resolve', 'silence', 'unsilence'] satisfies AuditAction[];

/** What a refused admin command was aimed at, for the audit row: an alert id, a silence id or a matcher. */
function targetOf(input: CommandInput, keys: readonly string[] = ['id', 'silence_id', 'type', 'account', 'symbol', 'source']): string {
  const o = input.options;
  const parts = keys
    .filter((k) => o[k] !== undefined)
    .map((k) => `${k}=${String(o[k])}`);
  return parts.join(' ') || '(none)';
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Why the transport refused before anything ran (the reasons of src/discord/command-gate.ts); none: the admin check. */
function why(reason: string | undefined): string {
  if (reason === undefined) return NOT_AN_ADMIN;
  const place: Record<string, string> = {
    dm: 'sent in a direct message, and delta-ops takes commands inside its server only',
    guild: 'sent in a server outside the allow-list',
    cooldown: 'sent within the per-user cooldown',
    'not-member': 'clicked in a direct message by someone who is not a member of the server',
  };
  return place[reason] ?? `refused by the transport (${reason})`;
}

/**
 * The refusal hook every transport passes on: a refused admin action gets an audit row, whoever refused
 * it (the admin check, or the transport before anything ran: a DM, a server outside the allow-list, the
 * cooldown). Alert actions by command or by message button go to the alert audit, a feed failover
 * (`/feeds` with a source) to the feed control's, `/sync` and `/audit` to the alert audit under their own
 * action; refusals of anything else are not admin actions.
 */
export function auditRefusals(alerts: AlertService, feeds?: Pick<FeedControl, 'recordRefusal'>): RefusalHook {
  return async (command, input, reason) => {
    const o = input.options;
    if (command === 'alerts') {
      const action = input.subcommand;
      if (!action || !ALERT_ACTIONS.includes(action)) return;
      const target = targetOf(input);
      const detail = refusalDetail(input.actor, `/alerts ${action} ${target}`, why(reason));
      await alerts.recordRefusal(input.actor, action as AuditAction, target, text(o['comment']) ?? text(o['reason']), detail);
    } else if (command === 'feeds') {
      const source = text(o['source'])?.trim();
      const symbol = text(o['symbol']) ?? '';
      if (source && feeds) await feeds.recordRefusal(input.actor, symbol, source, text(o['reason']), refusalDetail(input.actor, `/feeds symbol=${symbol} source=${source}`, why(reason)));
    } else if (command === 'sync' || command === 'audit') {
      // The admin-only /sync and /audit: the attempt itself is the action; its target, the options given.
      const target = targetOf(input, ['account', 'limit', 'actor', 'action']);
      await alerts.recordRefusal(input.actor, command, target, undefined, refusalDetail(input.actor, target === '(none)' ? `/${command}` : `/${command} ${target}`, why(reason)));
    } else if (command === 'button') {
      // A click carries no comment of its own: nothing that reads as if the action had happened.
      const b = parseAlertButton(text(o['customId']) ?? '');
      if (!b) return;
      const what = b.action === 'ack' ? `acknowledge alert ${b.shortId} with its Acknowledge button` : `silence alert ${b.shortId} with its Silence 1h button`;
      await alerts.recordRefusal(input.actor, b.action === 'ack' ? 'ack' : 'silence', b.shortId, undefined, refusalDetail(input.actor, what, why(reason)));
    }
  };
}
