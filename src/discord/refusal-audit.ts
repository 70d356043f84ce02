import type { AuditAction } from '../store/alert-types.js';
import type { CommandInput } from '../present/command.js';

const AUDITED: Record<string, AuditAction | undefined> = { ack: 'ack', resolve: 'resolve', silence: 'silence', unsilence: 'unsilence' };

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The audit entry for an admin action the router refused before it reached the alert service
 * (`/alerts ack|resolve|silence|unsilence`), or undefined for anything that is not an alert action.
 */
export function refusedAlertAction(commandName: string, input: CommandInput): { action: AuditAction; target: string; comment?: string } | undefined {
  if (commandName !== 'alerts' || input.subcommand === undefined) return undefined;
  const action = AUDITED[input.subcommand];
  if (!action) return undefined;
  const o = input.options;
  const id = text(o['id']);
  let target: string;
  if (action === 'unsilence') target = `silence:${id ?? '?'}`;
  else if (action === 'silence' && !id) target = ['type', 'account', 'symbol'].flatMap((k) => (text(o[k]) ? [`${k}=${text(o[k])}`] : [])).join(' ') || '(empty)';
  else target = id ?? '?';
  const comment = text(o['comment']) ?? text(o['reason']);
  return comment !== undefined ? { action, target, comment } : { action, target };
}
