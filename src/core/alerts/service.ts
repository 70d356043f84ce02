import type { Logger } from '../ports/logger.js';
import type { Actor } from '../ports/actor.js';
import { ALERT_TYPES, type AlertFilter, type AlertRecord, type AuditAction, type AuditEntry, type AuditFilter, type Silence, type SilenceMatcher } from '../ports/alerts.js';
import type { Store, StoreScope } from '../ports/store.js';
import type { Clock } from '../clock.js';
import { DeltaOpsError, ErrorCode } from '../errors.js';
import { newIdempotencyKey } from '../outbox/backoff.js';
import { NOT_AN_ADMIN, refusalDetail, type AuthorizationPort } from './authorization.js';
import { listItems, maintenanceAt, mutesAt, readListing, type AlertListItem, type MaintenanceView, type SilenceItem } from './listing.js';
import type { CronCalendar } from './maintenance.js';
import { isSilenceActive, isSilenceOpen, matcherMatches, mutedUntil } from './mute.js';
import { enqueueEdits } from './notices.js';
import { DEFAULT_PAGING, type PagingPolicy } from './paging.js';

export type { AlertListItem, MaintenanceView, SilenceItem } from './listing.js';

export interface AlertServiceDeps {
  store: Store;
  auth: AuthorizationPort;
  clock: Clock;
  logger: Logger;
  newKey?: () => string;
  /** Called after an action stored message edits, e.g. to wake the dispatcher. */
  onEnqueued?: () => void;
  /** Notification levels, escalation steps and maintenance windows, for lists (default: none). */
  paging?: PagingPolicy;
  /** Evaluates the maintenance windows' cron times (see AlertEngineDeps.calendar). */
  calendar?: CronCalendar;
}

export type ActionFailure =
  | { ok: false; reason: 'refused'; message: string; error: DeltaOpsError }
  | { ok: false; reason: 'not-found' | 'invalid'; message: string };
export type ActionResult<T> = { ok: true; value: T } | ActionFailure;

export type ListFilter = Omit<AlertFilter, 'state'> & { state?: AlertFilter['state'] | 'silenced' };

/**
 * How an action was asked for, when not by a command a person typed (a message button): said in the
 * audit entry, and the action carries no comment of its own then.
 */
export type ActionVia = 'the Acknowledge button on the alert message' | 'the Silence 1h button on the alert message' | 'the Acknowledge button of an escalation DM';

export const MAX_SILENCE_MS = 30 * 86_400_000;
/** A planned start this far in the past is still taken (as now): a time typed a moment ago. */
const PAST_START_SLACK_MS = 5 * 60_000;
const MAX_TEXT = 500;
const ACTION_TEXT: Partial<Record<AuditAction, string>> = { ack: 'acknowledge alert', resolve: 'resolve alert', silence: 'silence', unsilence: 'end' };

const clip = (s: string | undefined): string | undefined => {
  const t = s?.trim();
  return t ? t.slice(0, MAX_TEXT) : undefined;
};

export function describeMatcher(m: SilenceMatcher): string {
  return [m.type && `type=${m.type}`, m.account && `account=${m.account}`, m.symbol && `symbol=${m.symbol}`].filter(Boolean).join(' ') || '(empty)';
}

/**
 * What people do to alerts: list, acknowledge, resolve, silence, unsilence. Every action is checked
 * through the authorization port and written to the audit log, refused attempts included; the
 * action, its audit entry and the message edits it causes are stored in one transaction.
 */
export class AlertService {
  private readonly newKey: () => string;
  private readonly paging: PagingPolicy;

  constructor(private readonly deps: AlertServiceDeps) {
    this.newKey = deps.newKey ?? newIdempotencyKey;
    this.paging = deps.paging ?? DEFAULT_PAGING;
  }

  async list(filter: ListFilter = {}): Promise<AlertListItem[]> {
    return (await this.listWithSilences(filter)).items;
  }

  /** `list`, and the silences not over yet (what `/alerts list` shows below the alerts), read together. */
  async listWithSilences(filter: ListFilter = {}): Promise<{ items: AlertListItem[]; silences: SilenceItem[] }> {
    const { state, ...rest } = filter;
    const now = this.deps.clock.now();
    const records = this.deps.store.alerts.list({ ...rest, state: state === 'silenced' ? 'active' : state });
    const { items, silences } = await readListing(this.deps.store, records, now, { paging: this.paging, calendar: this.deps.calendar });
    return {
      items: state === 'silenced' ? items.filter((i) => i.silence !== undefined || i.window !== undefined) : items,
      silences: silences.map((s) => ({ ...s, active: isSilenceActive(s, now) })),
    };
  }

  async get(shortId: string): Promise<AlertListItem | undefined> {
    const a = await this.deps.store.alerts.byShortId(shortId);
    return a ? (await this.decorate([a]))[0] : undefined;
  }

  /** Silences not over yet (active or planned), newest first; with `includeExpired`, those of the last 7 days too. */
  async listSilences(opts: { includeExpired?: boolean } = {}): Promise<SilenceItem[]> {
    const now = this.deps.clock.now();
    const since = opts.includeExpired ? now - 7 * 86_400_000 : now;
    return (await this.deps.store.silences.list(since)).map((s) => ({ ...s, active: isSilenceActive(s, now) }));
  }

  /** The configured maintenance windows in force now and the next one to start. */
  maintenance(): MaintenanceView {
    return maintenanceAt(this.deps.clock.now(), { paging: this.paging, calendar: this.deps.calendar });
  }

  auditLog(filter?: AuditFilter): Promise<AuditEntry[]> {
    return this.deps.store.audit.list(filter);
  }

  /** `via`: a button, not a typed command (see ActionVia); the acknowledgement then carries no comment. */
  ack(actor: Actor, shortId: string, comment?: string, via?: ActionVia): Promise<ActionResult<AlertRecord>> {
    return this.onAlert(actor, 'ack', shortId, via ? undefined : comment, via, (a, now, text) => {
      if (a.state === 'resolved') return 'it is already resolved';
      if (a.ackedAt !== undefined) return `it was already acknowledged by ${a.ackedBy ?? 'someone'}`;
      return { ...a, ackedBy: actor.name, ackedAt: now, ...(text ? { ackComment: text } : {}), updatedAt: now };
    });
  }

  resolve(actor: Actor, shortId: string, comment?: string): Promise<ActionResult<AlertRecord>> {
    return this.onAlert(actor, 'resolve', shortId, comment, undefined, (a, now, text) => {
      if (a.state === 'resolved') return 'it is already resolved';
      return { ...a, state: 'resolved', resolvedAt: now, resolvedBy: actor.name, ...(text ? { resolveComment: text } : {}), updatedAt: now };
    });
  }

  /**
   * Mutes alerts matching `matcher` for `durationMs`, from now or, planned, from `opts.startsAt` (a
   * maintenance window announced ahead: it mutes nothing before its start).
   */
  async silence(actor: Actor, matcher: SilenceMatcher, durationMs: number, reason: string, opts: { startsAt?: number; via?: ActionVia } = {}): Promise<ActionResult<Silence>> {
    const target = describeMatcher(matcher);
    const refused = await this.refuseUnlessAdmin(actor, 'silence', target, opts.via ? undefined : reason, opts.via);
    if (refused) return refused;
    const text = clip(reason);
    const now = this.deps.clock.now();
    // A start a moment in the past (typed as a time just gone) is taken as now.
    const startsAt = opts.startsAt === undefined ? now : Math.max(now, opts.startsAt);
    const problem =
      matcher.type === undefined && matcher.account === undefined && matcher.symbol === undefined
        ? 'a silence needs a type, an account or a symbol to match'
        : matcher.type !== undefined && !ALERT_TYPES.includes(matcher.type)
          ? `unknown alert type "${String(matcher.type)}"`
          : !(durationMs > 0) || durationMs > MAX_SILENCE_MS
            ? 'the duration must be more than 0 and at most 30 days'
            : opts.startsAt !== undefined && !(opts.startsAt >= now - PAST_START_SLACK_MS)
              ? `the start ${Number.isFinite(opts.startsAt) ? new Date(opts.startsAt).toISOString() : ''} is in the past`
              : startsAt - now > MAX_SILENCE_MS
                ? 'the start must be at most 30 days ahead'
                : !text
                  ? 'a silence needs a reason'
                  : undefined;
    if (problem !== undefined || text === undefined) return this.invalid(actor, 'silence', target, reason, problem ?? 'a silence needs a reason');
    const silence = await this.deps.store.transaction(async (tx) => {
      const s = await tx.silences.insert({ matcher, startsAt, endsAt: startsAt + durationMs, createdBy: actor.name, reason: text, createdAt: now });
      const when = `${startsAt > now ? `from ${new Date(s.startsAt).toISOString()} ` : ''}until ${new Date(s.endsAt).toISOString()}`;
      await this.audit(tx, actor, 'silence', `silence:${s.id} ${target}`, text, 'done', opts.via ? `${when}, by ${opts.via}` : when);
      // A planned silence changes no message yet.
      if (startsAt <= now) await this.editMatching(tx, matcher, now);
      return s;
    });
    this.deps.logger.info({ job: 'alerts', action: 'silence', id: silence.id, matcher, from: silence.startsAt, until: silence.endsAt, actor: actor.id, source: actor.source }, 'silence created');
    this.deps.onEnqueued?.();
    return { ok: true, value: silence };
  }

  /** The Silence button: mutes exactly this alert's fingerprint (type, account, symbol). */
  async silenceAlert(actor: Actor, shortId: string, durationMs: number, reason: string, via?: ActionVia): Promise<ActionResult<Silence>> {
    const a = await this.deps.store.alerts.byShortId(shortId);
    if (!a) {
      const refused = await this.refuseUnlessAdmin(actor, 'silence', shortId, via ? undefined : reason, via);
      return refused ?? this.invalid(actor, 'silence', shortId, reason, `no alert with id "${shortId.slice(0, 16)}"`, 'not-found');
    }
    const matcher: SilenceMatcher = { type: a.type };
    if (a.account !== undefined) matcher.account = a.account;
    if (a.symbol !== undefined) matcher.symbol = a.symbol;
    return this.silence(actor, matcher, durationMs, reason, via ? { via } : {});
  }

  async unsilence(actor: Actor, silenceId: number, comment?: string): Promise<ActionResult<Silence>> {
    const target = `silence:${silenceId}`;
    const refused = await this.refuseUnlessAdmin(actor, 'unsilence', target, comment);
    if (refused) return refused;
    const now = this.deps.clock.now();
    const s = await this.deps.store.silences.get(silenceId);
    if (!s) return this.invalid(actor, 'unsilence', target, comment, `no silence with id ${silenceId}`, 'not-found');
    // A planned silence can be called off before it starts.
    if (!isSilenceOpen(s, now)) return this.invalid(actor, 'unsilence', target, comment, `silence ${silenceId} is not active`);
    const value = await this.deps.store.transaction(async (tx) => {
      await tx.silences.expire(silenceId, now, actor.name);
      await this.audit(tx, actor, 'unsilence', `${target} ${describeMatcher(s.matcher)}`, clip(comment), 'done');
      await this.editMatching(tx, s.matcher, now);
      return { ...s, endsAt: Math.min(s.endsAt, now), expiredBy: actor.name };
    });
    this.deps.onEnqueued?.();
    return { ok: true, value };
  }

  /**
   * For a transport that refused before reaching the service (its own admin gate): the attempt is
   * still audited. `detail` says who was refused, for what and why (src/app/refusal-audit.ts).
   */
  async recordRefusal(actor: Actor, action: AuditAction, target: string, comment: string | undefined, detail: string): Promise<void> {
    await this.audit(this.deps.store, actor, action, target.slice(0, 100), clip(comment), 'refused', detail);
  }

  private async onAlert(
    actor: Actor,
    action: 'ack' | 'resolve',
    shortId: string,
    comment: string | undefined,
    via: ActionVia | undefined,
    change: (a: AlertRecord, now: number, comment: string | undefined) => AlertRecord | string,
  ): Promise<ActionResult<AlertRecord>> {
    const target = shortId.trim().slice(0, 16);
    const refused = await this.refuseUnlessAdmin(actor, action, target, comment, via);
    if (refused) return refused;
    const now = this.deps.clock.now();
    const text = clip(comment);
    const result = await this.deps.store.transaction(async (tx): Promise<ActionResult<AlertRecord>> => {
      const a = await tx.alerts.byShortId(shortId);
      if (!a) return this.invalid(actor, action, target, text, `no alert with id "${target}"`, 'not-found', tx);
      const next = change(a, now, text);
      if (typeof next === 'string') return this.invalid(actor, action, a.shortId, text, `Alert ${a.shortId}: ${next}.`, 'invalid', tx);
      await tx.alerts.update(next);
      const chain = a.escalationStep ? `; escalation stopped after step ${a.escalationStep}` : '';
      await this.audit(tx, actor, action, a.shortId, text, 'done', `${a.type} ${a.severity}${chain}${via ? `, by ${via}` : ''}`);
      await enqueueEdits(tx, [a.id], action === 'resolve' ? 'resolve' : 'update', now, { newKey: this.newKey, silencedUntil: await this.silencedUntil(tx, now) });
      return { ok: true, value: next };
    });
    if (result.ok) {
      this.deps.logger.info({ job: 'alerts', action, alert: result.value.shortId, actor: actor.id, source: actor.source }, `alert ${action}`);
      this.deps.onEnqueued?.();
    }
    return result;
  }

  private async refuseUnlessAdmin(actor: Actor, action: AuditAction, target: string, comment: string | undefined, via?: ActionVia): Promise<ActionFailure | undefined> {
    if (this.deps.auth.canAdminister(actor)) return undefined;
    const what = `${ACTION_TEXT[action] ?? action} ${target}${via ? ` with ${via}` : ''}`;
    await this.audit(this.deps.store, actor, action, target, clip(comment), 'refused', refusalDetail(actor, what, NOT_AN_ADMIN));
    this.deps.logger.warn({ job: 'alerts', action, target, actor: actor.id, source: actor.source, code: ErrorCode.PermissionDenied }, 'alert action refused');
    const error = new DeltaOpsError(ErrorCode.PermissionDenied, `Permission denied: only admins can ${action === 'ack' ? 'acknowledge' : action} alerts.`);
    return { ok: false, reason: 'refused', message: error.message, error };
  }

  private async invalid(
    actor: Actor,
    action: AuditAction,
    target: string,
    comment: string | undefined,
    message: string,
    reason: 'invalid' | 'not-found' = 'invalid',
    scope: StoreScope = this.deps.store,
  ): Promise<ActionFailure> {
    await this.audit(scope, actor, action, target, clip(comment), 'invalid', message);
    const text = message.endsWith('.') ? message : `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}.`;
    return { ok: false, reason, message: text };
  }

  private async audit(
    scope: StoreScope,
    actor: Actor,
    action: AuditAction,
    target: string,
    comment: string | undefined,
    outcome: AuditEntry['outcome'],
    detail?: string,
  ): Promise<void> {
    await scope.audit.append({
      at: this.deps.clock.now(),
      actorId: actor.id,
      actorName: actor.name,
      source: actor.source,
      action,
      target,
      ...(comment !== undefined ? { comment } : {}),
      outcome,
      ...(detail !== undefined ? { detail } : {}),
    });
  }

  /** Silencing changes how a message looks (silenced until …): edit the messages of matching alerts. */
  private async editMatching(tx: StoreScope, matcher: SilenceMatcher, now: number): Promise<void> {
    const ids = (await tx.alerts.active()).filter((a) => matcherMatches(matcher, a) && a.firstNotifiedAt !== undefined).map((a) => a.id);
    if (ids.length) await enqueueEdits(tx, ids, 'update', now, { newKey: this.newKey, silencedUntil: await this.silencedUntil(tx, now) });
  }

  private async silencedUntil(scope: StoreScope, now: number): Promise<(a: AlertRecord) => number | undefined> {
    const mutes = await mutesAt(scope, now, { paging: this.paging, calendar: this.deps.calendar });
    return (a) => mutedUntil(a, mutes, now);
  }

  private decorate(alerts: AlertRecord[]): Promise<AlertListItem[]> {
    return listItems(this.deps.store, alerts, this.deps.clock.now(), { paging: this.paging, calendar: this.deps.calendar });
  }
}
