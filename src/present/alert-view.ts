import type { WindowOccurrence } from '../core/alerts/maintenance.js';
import { durationText } from '../core/alerts/paging.js';
import type { AlertListItem, MaintenanceView, SilenceItem } from '../core/alerts/listing.js';
import type { AlertGroupPayload, AlertNotice } from '../core/outbox/payload.js';
import type { OutboundNotification } from '../core/outbox/sink.js';
import type { Severity } from '../core/ports/alerts.js';
import { age, isoTime } from './format.js';
import { summaryView } from './summary-view.js';
import type { Tone, View, ViewButton, ViewField } from './view.js';

/** Button custom ids: `alert:ack:<shortId>`, `alert:silence1h:<shortId>`. */
export const ALERT_BUTTON_PREFIX = 'alert:';
export type AlertButtonAction = 'ack' | 'silence1h';

/**
 * Discord allows 25 components per message; two buttons per alert, so at most this many alerts get
 * buttons (the most severe, unacknowledged first). The rest are one `/alerts ack <id>` away.
 */
export const MAX_ALERTS_WITH_BUTTONS = 10;

export function alertButtonId(action: AlertButtonAction, shortId: string): string {
  return `${ALERT_BUTTON_PREFIX}${action}:${shortId}`;
}

export function parseAlertButton(customId: string): { action: AlertButtonAction; shortId: string } | undefined {
  const m = /^alert:(ack|silence1h):([0-9a-z]{4,8})$/.exec(customId);
  if (!m?.[1] || !m[2]) return undefined;
  return { action: m[1] === 'ack' ? 'ack' : 'silence1h', shortId: m[2] };
}

const TONE: Record<Severity, Tone> = { INFO: 'info', WARN: 'warn', CRITICAL: 'critical' };
const RANK: Record<Severity, number> = { INFO: 0, WARN: 1, CRITICAL: 2 };

function worst(severities: Severity[]): Severity {
  return severities.reduce<Severity>((w, s) => (RANK[s] > RANK[w] ? s : w), 'INFO');
}

function where(n: { account?: string; symbol?: string }): string {
  return [n.account, n.symbol].filter((x): x is string => x !== undefined).join(' · ');
}

/** `[ab12] CRITICAL utilization · acc-1 · BTC` */
export function alertHeadline(n: Pick<AlertNotice, 'shortId' | 'severity' | 'type' | 'account' | 'symbol'>): string {
  const w = where(n);
  return `[${n.shortId}] ${n.severity} ${n.type}${w ? ` · ${w}` : ''}`;
}

const REASON_TEXT: Record<NonNullable<AlertNotice['reason']>, string> = {
  new: 'new',
  escalated: 'severity raised',
  deescalated: 'severity lowered',
  repeat: 'still firing, not acknowledged',
};

/** What happened to the alert since it fired, one line. */
function statusLine(n: AlertNotice): string {
  if (n.state === 'resolved') {
    const by = n.resolvedBy === 'auto' || n.resolvedBy === undefined ? 'condition cleared' : `by ${n.resolvedBy}`;
    return `RESOLVED ${n.resolvedAt !== undefined ? isoTime(n.resolvedAt) : ''} (${by})${n.resolveComment ? `: ${n.resolveComment}` : ''}`;
  }
  const parts = [`${n.reason ? REASON_TEXT[n.reason] : n.state} · since ${isoTime(n.startsAt)}`];
  if (n.escalationStep !== undefined && n.escalatedAt !== undefined) parts.push(`escalated: step ${n.escalationStep} paged ${isoTime(n.escalatedAt)}`);
  if (n.ackedBy !== undefined) parts.push(`acknowledged by ${n.ackedBy}${n.ackComment ? `: ${n.ackComment}` : ''}`);
  if (n.silencedUntil !== undefined) parts.push(`silenced until ${isoTime(n.silencedUntil)}`);
  return parts.join(' · ');
}

/** Acknowledge (and, on alert messages, Silence 1h) for each open alert; an escalation page offers Acknowledge only. */
function buttonsFor(alerts: readonly AlertNotice[], ackOnly = false): ViewButton[] {
  const open = alerts.filter((a) => a.state !== 'resolved' && a.ackedBy === undefined).slice(0, MAX_ALERTS_WITH_BUTTONS);
  const single = alerts.length === 1;
  return open.flatMap((a) => [
    { id: alertButtonId('ack', a.shortId), label: single ? 'Acknowledge' : `Ack ${a.shortId}`, style: 'primary' as const },
    ...(ackOnly ? [] : [{ id: alertButtonId('silence1h', a.shortId), label: single ? 'Silence 1h' : `Silence 1h ${a.shortId}`, style: 'secondary' as const }]),
  ]);
}

/** The footer's hint: slash commands in the server; in a DM (where they are refused) only the button works. */
function footerOf(p: AlertGroupPayload, open: number): string {
  const hint = open === 0 ? '' : p.delivery?.dmUserId !== undefined ? 'Acknowledge with the button (commands work in the server only) · ' : 'Acknowledge: /alerts ack <id> · silence: /alerts silence · ';
  return `${hint}${p.editedAt !== undefined ? `updated ${isoTime(p.editedAt)}` : isoTime(p.createdAt)}`;
}

/**
 * A message lists each alert as a field up to this many (one embed holds 25 fields). A bigger group (a
 * storm) is summarised instead: counts, the most severe listed, every alert in an attached file.
 */
export const MAX_LISTED_ALERTS = 25;
/** In a summarised group, the most severe open alerts still listed one by one (within the embed budget). */
export const STORM_LISTED_ALERTS = 15;

const count = (n: number): string => n.toLocaleString('en-US');

function severityCounts(alerts: readonly AlertNotice[]): string {
  return (['CRITICAL', 'WARN', 'INFO'] as const)
    .map((s) => [s, alerts.filter((a) => a.severity === s).length] as const)
    .filter(([, c]) => c > 0)
    .map(([s, c]) => `${count(c)} ${s}`)
    .join(', ');
}

/** `alerts-2026-01-02T09-00-00Z.txt` (`-part2` when the group was split). */
function stormFileName(p: AlertGroupPayload): string {
  return `alerts-${isoTime(p.createdAt).replace(/:/g, '-')}${p.parts > 1 ? `-part${p.part}` : ''}.txt`;
}

/**
 * A storm: too many alerts to list. Title and lines give the counts (per severity, then per type), the
 * most severe open alerts are listed as fields with their buttons, and the full list (id, severity,
 * type, account, symbol, status, summary) goes into an attached file, so every alert stays visible.
 */
function alertStormView(p: AlertGroupPayload): View {
  const open = p.alerts.filter((a) => a.state !== 'resolved');
  const listed = [...open].sort((a, b) => RANK[b.severity] - RANK[a.severity]).slice(0, STORM_LISTED_ALERTS);
  const file = stormFileName(p);
  const repeat = p.alerts.every((a) => a.reason === 'repeat');
  const title = open.length === 0 ? `${count(p.alerts.length)} alerts resolved` : `${repeat ? 'Still firing' : 'Alert storm'}: ${count(p.alerts.length)} alerts — ${severityCounts(open)}`;
  const types = [...new Set(p.alerts.map((a) => a.type))].sort();
  const byType = types.map((t) => {
    const of = p.alerts.filter((a) => a.type === t);
    const resolved = of.length - of.filter((a) => a.state !== 'resolved').length;
    return `${t}: ${severityCounts(of.filter((a) => a.state !== 'resolved')) || 'none open'}${resolved ? `, ${count(resolved)} resolved` : ''}`;
  });
  const view: View = {
    title: p.parts > 1 ? `${title} (part ${p.part}/${p.parts})` : title,
    tone: open.length === 0 ? 'ok' : TONE[worst(open.map((a) => a.severity))],
    lines: [
      `${count(p.alerts.length)} alerts in this message${listed.length ? `; the ${listed.length} most severe open ones are listed below` : ''}. Every one, with its id and state, is in the full list (${file}).`,
      ...byType,
    ],
    fields: listed.map((a) => ({ name: alertHeadline(a), value: `${a.summary}\n${statusLine(a)}` })),
    tables: [
      {
        title: `${title}${p.parts > 1 ? ` (part ${p.part}/${p.parts})` : ''}`,
        columns: [{ header: 'Id' }, { header: 'Severity' }, { header: 'Type' }, { header: 'Account' }, { header: 'Symbol' }, { header: 'Status' }, { header: 'Summary' }],
        rows: p.alerts.map((a) => [a.shortId, a.severity, a.type, a.account ?? '—', a.symbol ?? '—', statusLine(a), a.summary]),
        attachment: file,
      },
    ],
    footer: footerOf(p, open.length),
  };
  const buttons = buttonsFor(listed, p.escalation !== undefined);
  if (buttons.length) view.buttons = buttons;
  return view;
}

/** A group of alerts (a fire/repeat message, or its edit) as a View: one field per alert, or a storm summary. */
export function alertGroupView(p: AlertGroupPayload): View {
  if (p.alerts.length > MAX_LISTED_ALERTS) return alertStormView(p);
  const open = p.alerts.filter((a) => a.state !== 'resolved');
  const counts = (['CRITICAL', 'WARN', 'INFO'] as const)
    .map((s) => [s, open.filter((a) => a.severity === s).length] as const)
    .filter(([, c]) => c > 0)
    .map(([s, c]) => `${c} ${s}`);
  const repeat = p.alerts.every((a) => a.reason === 'repeat');
  const head = open.length === 0 ? `${p.alerts.length === 1 ? 'Alert' : `${p.alerts.length} alerts`} resolved` : `${repeat ? 'Still firing' : 'Alerts'}: ${counts.join(', ')}`;
  const single = p.alerts.length === 1 && p.alerts[0] ? `${open.length === 0 ? 'RESOLVED ' : ''}${alertHeadline(p.alerts[0])}` : head;
  const e = p.escalation;
  const title = e ? `Escalation ${e.step}/${e.steps}: ${single}` : single;
  const fields: ViewField[] = p.alerts.map((a) => ({ name: p.alerts.length === 1 ? 'Status' : alertHeadline(a), value: `${p.alerts.length === 1 ? '' : `${a.summary}\n`}${statusLine(a)}` }));
  const lines = [
    ...(e ? [`Not acknowledged ${durationText(e.afterMs)} after the first CRITICAL notice.`] : []),
    ...(p.alerts.length === 1 && p.alerts[0] ? [p.alerts[0].summary] : []),
  ];
  const view: View = {
    title: p.parts > 1 ? `${title} (part ${p.part}/${p.parts})` : title,
    tone: open.length === 0 ? 'ok' : TONE[worst(open.map((a) => a.severity))],
    lines,
    fields,
    footer: footerOf(p, open.length),
  };
  const buttons = buttonsFor(p.alerts, e !== undefined);
  if (buttons.length) view.buttons = buttons;
  return view;
}

/** Any outbox notification as a View (what the console and Discord sinks render). */
export function notificationView(n: OutboundNotification): View {
  return n.payload.type === 'alerts' ? alertGroupView(n.payload) : summaryView(n.payload.summary, n.payload.timezone);
}

/** `/alerts list`. */
export function alertListView(items: readonly AlertListItem[], now: number, filterText: string): View {
  const active = items.filter((a) => a.state !== 'resolved');
  return {
    title: `Alerts${filterText ? ` (${filterText})` : ''}`,
    tone: active.length === 0 ? 'ok' : TONE[worst(active.map((a) => a.severity))],
    lines: items.length === 0 ? ['No alerts match.'] : [`${items.length} alert${items.length === 1 ? '' : 's'}`],
    tables: items.length
      ? [
          {
            columns: [{ header: 'Id' }, { header: 'Severity' }, { header: 'Type' }, { header: 'Account' }, { header: 'Symbol' }, { header: 'State' }, { header: 'Since', align: 'right' }, { header: 'Summary' }],
            rows: items.map((a) => [a.shortId, a.severity, a.type, a.account ?? '—', a.symbol ?? '—', listState(a, now), age(now - a.startsAt), a.summary]),
          },
        ]
      : [],
    footer: 'Actions: /alerts ack <id> · /alerts resolve <id> · /alerts silence · /alerts unsilence <silence id>',
  };
}

const minutesLeft = (end: number, now: number): string => `${Math.max(1, Math.round((end - now) / 60_000))}m`;

function listState(a: AlertListItem, now: number): string {
  if (a.state === 'resolved') return `resolved${a.resolvedBy && a.resolvedBy !== 'auto' ? ` by ${a.resolvedBy}` : ''}`;
  const tags: string[] = [a.state];
  if (a.notify !== 'on') tags.push(`notify ${a.notify}`);
  if (a.escalationStep !== undefined) tags.push(`escalated ${a.escalationStep}/${Math.max(a.escalationStep, a.escalationSteps)}`);
  if (a.ackedBy !== undefined) tags.push(`acked by ${a.ackedBy}`);
  if (a.silence) tags.push(`silenced ${minutesLeft(a.silence.endsAt, now)} (#${a.silence.id})`);
  if (a.window) tags.push(`maintenance ${minutesLeft(a.window.endsAt, now)} (window ${a.window.index + 1})`);
  if (a.inhibitedBy.length) tags.push(`inhibited: ${a.inhibitedBy.join(', ')} stale`);
  return tags.join(', ');
}

const matcherText = (m: { type?: string | undefined; account?: string | undefined; symbol?: string | undefined }): string => [m.type, m.account, m.symbol].map((x) => x ?? '*').join(' / ');

function silenceState(s: SilenceItem, now: number): string {
  if (s.active) return `active, ${minutesLeft(s.endsAt, now)} left`;
  if (s.expiredBy) return `ended by ${s.expiredBy}`;
  return now < s.startsAt ? `planned, starts in ${minutesLeft(s.startsAt, now)}` : 'expired';
}

/** Silences (active and planned), newest first. */
export function silenceListView(items: readonly SilenceItem[], now: number): View {
  return {
    title: 'Silences',
    lines: items.length === 0 ? ['No silences.'] : [],
    tables: items.length
      ? [
          {
            title: 'Silences',
            columns: [{ header: 'Id', align: 'right' }, { header: 'Matcher' }, { header: 'State' }, { header: 'Starts' }, { header: 'Ends' }, { header: 'By' }, { header: 'Reason' }],
            rows: items.map((s) => [String(s.id), matcherText(s.matcher), silenceState(s, now), isoTime(s.startsAt), isoTime(s.endsAt), s.createdBy, s.reason]),
          },
        ]
      : [],
  };
}

const windowRow = (w: WindowOccurrence, state: string): string[] => [
  String(w.index + 1),
  matcherText(w.window.match),
  state,
  isoTime(w.startsAt),
  isoTime(w.endsAt),
  `${w.window.cron} (${w.window.timezone})`,
  w.window.reason,
];

/** Maintenance windows (`alerts.maintenance`): those in force, then the next one to start. */
export function maintenanceTable(m: MaintenanceView, now: number): View['tables'] {
  const rows = m.inForce.map((w) => windowRow(w, `in force, ${minutesLeft(w.endsAt, now)} left`));
  if (m.next) rows.push(windowRow(m.next, `next, in ${durationText(m.next.startsAt - now)}`));
  if (rows.length === 0) return [];
  return [
    {
      title: 'Maintenance windows',
      columns: [{ header: 'Window', align: 'right' }, { header: 'Matcher' }, { header: 'State' }, { header: 'Starts' }, { header: 'Ends' }, { header: 'Cron' }, { header: 'Reason' }],
      rows,
    },
  ];
}
