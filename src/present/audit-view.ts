import type { AuditEntry } from '../core/ports/alerts.js';
import { isoTime } from './format.js';
import type { View } from './view.js';

/** `/audit`: who did what, when, from where, and how it ended, newest first. Only the asker sees it. */
export function auditView(entries: readonly AuditEntry[], opts: { filter: string; limit: number }): View {
  const n = entries.length;
  const lines = [
    n === 0
      ? `No audit entries${opts.filter ? ` match ${opts.filter}` : ''}.`
      : `${n} entr${n === 1 ? 'y' : 'ies'}, newest first${opts.filter ? ` · ${opts.filter}` : ''}.`,
  ];
  if (n > 0 && n >= opts.limit) lines.push(`The newest ${opts.limit} are shown; raise limit: for more.`);
  return {
    title: 'Audit log',
    tone: entries.some((e) => e.outcome === 'refused') ? 'warn' : 'info',
    lines,
    tables: n === 0 ? [] : [
      {
        columns: [{ header: 'Time (UTC)' }, { header: 'Actor' }, { header: 'Action' }, { header: 'Outcome' }, { header: 'Target' }, { header: 'From' }, { header: 'Comment / detail' }],
        rows: entries.map((e) => [isoTime(e.at), e.actorName, e.action, e.outcome, e.target, e.source, [e.comment, e.detail].filter(Boolean).join(' — ') || '—']),
      },
    ],
    ephemeral: true,
  };
}
