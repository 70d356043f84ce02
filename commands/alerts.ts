import { parseDuration } from '../src/config/duration.js';
import type { ActionResult, AlertService, ListFilter } from '../src/core/alerts/service.js';
import { isPlanned } from '../src/core/alerts/mute.js';
import { canonicalSymbol } from '../src/core/symbols.js';
import type { Actor } from '../src/core/ports/actor.js';
import type { Command, CommandInput } from '../src/present/command.js';
import { alertListView, maintenanceTable, parseAlertButton, silenceListView } from '../src/present/alert-view.js';
import { isoTime } from '../src/present/format.js';
import { parseStart } from '../src/present/parse-time.js';
import type { View } from '../src/present/view.js';
import { ALERT_TYPES, SEVERITIES, type AlertRecord, type AlertType, type Severity, type Silence, type SilenceMatcher } from '../src/core/ports/alerts.js';

/** What /alerts needs: the clock and the alert service (the app context can carry both). */
export interface AlertsCommandCtx {
  now(): number;
  alerts: AlertService;
  /** The display time zone a `start` without offset is read in (the app's config; UTC without it). */
  config?: { timezone: string };
}

const STATES = ['active', 'pending', 'firing', 'resolved', 'silenced', 'all'] as const;
const HOUR = 3_600_000;

function str(input: CommandInput, name: string): string | undefined {
  const v = input.options[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function oneOf<T extends string>(values: readonly T[], raw: string | undefined): T | undefined {
  return values.find((v) => v.toLowerCase() === raw?.toLowerCase());
}

function problem(message: string): View {
  return { title: 'Not done', tone: 'warn', lines: [message], ephemeral: true };
}

/** A refusal is thrown as its DeltaOpsError (3001): the router answers it with an error id like every error. */
async function answer<T>(pending: Promise<ActionResult<T>>, done: (value: T) => View): Promise<View> {
  const r = await pending;
  if (r.ok) return done(r.value);
  if (r.reason === 'refused') throw r.error;
  return problem(r.message);
}

function alertDone(verb: string, a: AlertRecord, comment: string | undefined): View {
  return { title: `Alert ${a.shortId} ${verb}`, tone: 'ok', lines: [`${a.severity} ${a.type}${a.account ? ` · ${a.account}` : ''}${a.symbol ? ` · ${a.symbol}` : ''}: ${a.summary}`, ...(comment ? [`Comment: ${comment}`] : [])], ephemeral: true };
}

function silenceDone(s: Silence): View {
  const m = [s.matcher.type, s.matcher.account, s.matcher.symbol].map((x) => x ?? '*').join(' / ');
  const planned = isPlanned(s);
  return {
    title: `Silence ${s.id} ${planned ? 'planned' : 'created'}`,
    tone: 'ok',
    lines: [
      `Matches ${m} ${planned ? `from ${isoTime(s.startsAt)} ` : ''}until ${isoTime(s.endsAt)}`,
      `Reason: ${s.reason}`,
      `${planned ? 'Call it off' : 'End it early'} with /alerts unsilence ${s.id}`,
    ],
    ephemeral: true,
  };
}

async function list(ctx: AlertsCommandCtx, input: CommandInput): Promise<View> {
  const filter: ListFilter = {};
  const severity = oneOf<Severity>(SEVERITIES, str(input, 'severity'));
  const type = oneOf<AlertType>(ALERT_TYPES, str(input, 'type'));
  const state = oneOf(STATES, str(input, 'state'));
  const account = str(input, 'account');
  if (severity) filter.severity = severity;
  if (type) filter.type = type;
  if (state) filter.state = state;
  if (account) filter.account = account;
  const text = Object.entries(filter).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  const now = ctx.now();
  const { items, silences } = await ctx.alerts.listWithSilences(filter);
  const view = alertListView(items, now, text);
  const windows = ctx.alerts.maintenance();
  if (windows.next) view.lines = [...(view.lines ?? []), `Next maintenance window: ${isoTime(windows.next.startsAt)} for ${windows.next.window.reason}`];
  view.tables = [...(view.tables ?? []), ...(silences.length ? (silenceListView(silences, now).tables ?? []) : []), ...(maintenanceTable(windows, now) ?? [])];
  return view;
}

async function silence(ctx: AlertsCommandCtx, input: CommandInput): Promise<View> {
  const durationMs = parseDuration(str(input, 'duration') ?? '');
  if (durationMs === undefined) return problem('Duration must look like 30m, 2h or 1d.');
  const reason = str(input, 'reason') ?? '';
  const rawStart = str(input, 'start');
  const startsAt = rawStart === undefined ? undefined : parseStart(rawStart, ctx.now(), ctx.config?.timezone ?? 'UTC');
  if (rawStart !== undefined && startsAt === undefined)
    return problem('Start must be a duration from now (2h), a date-time with its offset (2026-03-29T01:00Z) or a local time (2026-03-29 02:00, or 02:00 for the next one).');
  const id = str(input, 'id');
  if (id && startsAt === undefined) {
    return answer(ctx.alerts.silenceAlert(input.actor, id, durationMs, reason), silenceDone);
  }
  if (id) return problem('A planned silence matches a type, an account or a symbol, not one alert id.');
  const matcher: SilenceMatcher = {};
  const rawType = str(input, 'type');
  const type = oneOf<AlertType>(ALERT_TYPES, rawType);
  if (rawType && !type) return problem(`Unknown alert type "${rawType.slice(0, 32)}"; one of ${ALERT_TYPES.join(', ')}.`);
  if (type) matcher.type = type;
  const account = str(input, 'account');
  if (account) matcher.account = account;
  const symbol = str(input, 'symbol');
  if (symbol) matcher.symbol = canonicalSymbol(symbol).symbol;
  return answer(ctx.alerts.silence(input.actor, matcher, durationMs, reason, startsAt === undefined ? {} : { startsAt }), silenceDone);
}

export const alertsCommand = {
  name: 'alerts',
  description: 'List, acknowledge, resolve and silence alerts',
  subcommands: [
    {
      name: 'list',
      description: 'Alerts (active by default) and the silences in force',
      options: [
        { name: 'severity', description: 'Only this severity', type: 'string', choices: SEVERITIES.map((s) => ({ name: s, value: s })) },
        { name: 'account', description: 'Only this account', type: 'string', autocomplete: 'account', maxLength: 64 },
        { name: 'type', description: 'Only this alert type', type: 'string', choices: ALERT_TYPES.map((t) => ({ name: t, value: t })) },
        { name: 'state', description: 'active (default), pending, firing, resolved, silenced or all', type: 'string', choices: STATES.map((s) => ({ name: s, value: s })) },
      ],
    },
    {
      name: 'ack',
      description: 'Acknowledge an alert: its CRITICAL reminders stop',
      admin: true,
      options: [
        { name: 'id', description: 'Alert id, e.g. k3v9', type: 'string', required: true, autocomplete: 'alert', maxLength: 16 },
        { name: 'comment', description: 'What you are doing about it', type: 'string', maxLength: 500 },
      ],
    },
    {
      name: 'resolve',
      description: 'Close an alert by hand (it comes back if the condition still holds)',
      admin: true,
      options: [
        { name: 'id', description: 'Alert id', type: 'string', required: true, autocomplete: 'alert', maxLength: 16 },
        { name: 'comment', description: 'Why it is resolved', type: 'string', maxLength: 500 },
      ],
    },
    {
      name: 'silence',
      description: 'Mute alerts matching an alert id, or a type / account / symbol, now or planned ahead',
      admin: true,
      options: [
        { name: 'duration', description: 'How long, e.g. 30m, 2h, 1d (at most 30d)', type: 'string', required: true, maxLength: 16 },
        { name: 'reason', description: 'Why', type: 'string', required: true, maxLength: 500 },
        { name: 'start', description: 'Plan it: in 2h, at 2026-03-29T01:00Z, or at 02:00 local time (default: now)', type: 'string', maxLength: 32 },
        { name: 'id', description: 'Silence exactly this alert (its type, account and symbol)', type: 'string', autocomplete: 'alert', maxLength: 16 },
        { name: 'type', description: 'Alert type to match', type: 'string', choices: ALERT_TYPES.map((t) => ({ name: t, value: t })) },
        { name: 'account', description: 'Account to match', type: 'string', autocomplete: 'account', maxLength: 64 },
        { name: 'symbol', description: 'Symbol to match', type: 'string', autocomplete: 'symbol', maxLength: 32 },
      ],
    },
    {
      name: 'unsilence',
      description: 'End a silence now',
      admin: true,
      options: [
        { name: 'id', description: 'Silence number (see /alerts list)', type: 'integer', required: true, min: 1 },
        { name: 'comment', description: 'Why', type: 'string', maxLength: 500 },
      ],
    },
  ],
  handle(ctx, input): Promise<View> {
    const comment = str(input, 'comment');
    switch (input.subcommand) {
      case 'ack':
      case 'resolve': {
        const id = str(input, 'id') ?? '';
        const r = input.subcommand === 'ack' ? ctx.alerts.ack(input.actor, id, comment) : ctx.alerts.resolve(input.actor, id, comment);
        return answer(r, (a) => alertDone(input.subcommand === 'ack' ? 'acknowledged' : 'resolved', a, comment));
      }
      case 'silence':
        return silence(ctx, input);
      case 'unsilence': {
        const id = input.options['id'];
        return answer(ctx.alerts.unsilence(input.actor, typeof id === 'number' ? id : Number(id), comment), (s) => ({
          title: `Silence ${s.id} ended`,
          tone: 'ok',
          lines: ['Alerts it muted notify again from the next tick.'],
          ephemeral: true,
        }));
      }
      default:
        return list(ctx, input);
    }
  },
} satisfies Command<AlertsCommandCtx>;

/**
 * The buttons on alert messages and escalation DMs (`alert:ack:<id>`, `alert:silence1h:<id>`); the
 * transport calls it with the clicking user (in a DM, `source` is `discord:dm/<channel>`). Undefined
 * when the id is not an alert button. A click carries no comment: the audit entry says which button.
 */
export function handleAlertButton(ctx: AlertsCommandCtx, actor: Actor, customId: string): Promise<View> | undefined {
  const b = parseAlertButton(customId);
  if (!b) return undefined;
  if (b.action === 'ack') {
    const via = actor.source.startsWith('discord:dm/') ? 'the Acknowledge button of an escalation DM' : 'the Acknowledge button on the alert message';
    return answer(ctx.alerts.ack(actor, b.shortId, undefined, via), (a) => alertDone('acknowledged', a, undefined));
  }
  return answer(ctx.alerts.silenceAlert(actor, b.shortId, HOUR, 'silenced for 1h with the button on the alert message', 'the Silence 1h button on the alert message'), silenceDone);
}
