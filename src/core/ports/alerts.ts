/**
 * Storage ports of the alert pipeline: alerts and their lifecycle, silences, the audit log and the
 * notification outbox. Plain data only; the SQLite and PostgreSQL stores
 * (src/store) implement them.
 */

export const ALERT_TYPES = ['delta', 'utilization', 'liquidation', 'drawdown', 'position-limit', 'sync', 'failover', 'funding', 'hedger-capacity'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const SEVERITIES = ['INFO', 'WARN', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `pending`: active, inside groupWait. `firing`: active past groupWait. `resolved`: closed for good. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** The part of an alert that a rule decides. */
export interface AlertCondition {
  type: AlertType;
  account?: string;
  symbol?: string;
  severity: Severity;
  value: number;
  threshold: number;
  /** Plain, short, no markup: `utilization 96.0% > 95.0%`. */
  summary: string;
  /** Accounts whose data the condition was computed from; a firing `sync` alert on one mutes it. */
  sources: string[];
}

export interface AlertRecord extends AlertCondition {
  id: number;
  /** 4+ characters of Crockford base32, unique for ever (derived from `id`). */
  shortId: string;
  /** `type|account|symbol`: at most one active alert per fingerprint. */
  fingerprint: string;
  state: AlertState;
  startsAt: number;
  updatedAt: number;
  /** When it passed groupWait with the condition present: counts as "fired" in summaries. */
  firedAt?: number;
  firstNotifiedAt?: number;
  lastNotifiedAt?: number;
  /** Severity of the last notification; a difference means a severity change is due. */
  notifiedSeverity?: Severity;
  ackedBy?: string;
  ackedAt?: number;
  ackComment?: string;
  resolvedAt?: number;
  /** `auto` when it cleared for `resolveAfterTicks` ticks, else the actor's name. */
  resolvedBy?: string;
  resolveComment?: string;
  /** Consecutive evaluations without the condition. */
  clearTicks: number;
  /** When its escalation chain started counting: its first notification while CRITICAL (src/core/alerts/escalation.ts). */
  escalationFrom?: number;
  /** Escalation steps sent so far (1 = the first step of `alerts.escalation`). */
  escalationStep?: number;
  /** When the last escalation step was sent. */
  escalatedAt?: number;
}

export type NewAlert = Omit<AlertRecord, 'id' | 'shortId'>;

export interface AlertFilter {
  severity?: Severity;
  account?: string;
  type?: AlertType;
  /** `active` = pending or firing (the default). */
  state?: AlertState | 'active' | 'all';
  limit?: number;
}

export interface AlertCounts {
  /** Alerts that reached `firing` in the window. */
  fired: number;
  acknowledged: number;
  /** Alerts that had fired and were resolved in the window. */
  resolved: number;
}

export interface AlertStore {
  /** Pending and firing alerts. */
  active(): Promise<AlertRecord[]>;
  get(id: number): Promise<AlertRecord | undefined>;
  /** Case-insensitive; Crockford look-alikes (i, l → 1, o → 0) are accepted. */
  byShortId(shortId: string): Promise<AlertRecord | undefined>;
  insert(alert: NewAlert): Promise<AlertRecord>;
  update(alert: AlertRecord): Promise<void>;
  /** `update` of each, in order; one statement on a networked database (a tick changes many at once). */
  updateAll(alerts: readonly AlertRecord[]): Promise<void>;
  list(filter: AlertFilter): Promise<AlertRecord[]>;
  counts(from: number, to: number): Promise<AlertCounts>;
  /** Which alerts a message (outbox row) carries. */
  linkMessage(outboxId: number, alertIds: readonly number[]): Promise<void>;
  /** Outbox ids of the fire/repeat messages that carry the alert, oldest first. */
  messagesOf(alertId: number): Promise<number[]>;
}

export interface SilenceMatcher {
  type?: AlertType;
  account?: string;
  symbol?: string;
}

export interface Silence {
  id: number;
  matcher: SilenceMatcher;
  startsAt: number;
  /** Active while startsAt ≤ now < endsAt; unsilencing sets endsAt to the moment of the action. */
  endsAt: number;
  createdBy: string;
  reason: string;
  expiredBy?: string;
  /** When it was created; a silence created before its start is planned (it waits for `startsAt`). */
  createdAt?: number;
}

export interface SilenceStore {
  insert(s: Omit<Silence, 'id'>): Promise<Silence>;
  get(id: number): Promise<Silence | undefined>;
  /** Silences whose end is after `since`, newest first. */
  list(since: number): Promise<Silence[]>;
  expire(id: number, at: number, by: string): Promise<void>;
}

/**
 * `failover`: an admin chose a symbol's price feed by hand (src/core/feeds/feed-control.ts). `sync` and
 * `audit`: the admin-only `/sync` and `/audit` commands (refused attempts are recorded). `escalate`: the
 * bot paged the next step of an unacknowledged CRITICAL alert's escalation chain (src/core/alerts/escalation.ts).
 */
export const AUDIT_ACTIONS = ['ack', 'resolve', 'silence', 'unsilence', 'failover', 'sync', 'audit', 'escalate'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
/** `done`: carried out. `refused`: not authorized. `invalid`: authorized but not possible (unknown id, already resolved). */
export type AuditOutcome = 'done' | 'refused' | 'invalid';

export interface AuditEntry {
  id: number;
  at: number;
  actorId: string;
  actorName: string;
  /** `console`, `discord:<guild>/<channel>` (`discord:dm/<channel>` for a DM button), or `delta-ops` for the bot's own steps. */
  source: string;
  action: AuditAction;
  /** Alert short id, `silence:<id>`, the matcher text, or `feed:<symbol>`. */
  target: string;
  comment?: string;
  outcome: AuditOutcome;
  detail?: string;
}

/** Which audit entries to list; every given field must match. */
export interface AuditFilter {
  since?: number;
  actorId?: string;
  /** The actor's id, or their name case-insensitively (ASCII letters): what a person types. */
  actor?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  /** Default 100. */
  limit?: number;
}

export interface AuditStore {
  append(e: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Newest first. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
}

export const NOTIFICATION_KINDS = ['fire', 'repeat', 'update', 'resolve', 'summary'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** `superseded`: an edit made obsolete by a newer edit of the same message before it was sent. */
export type OutboxStatus = 'pending' | 'sent' | 'dead' | 'superseded';

export interface OutboxRow {
  id: number;
  /** Name of the sink that delivers it (one row per sink). */
  sink: string;
  /** Stable for the row's life; sent as Discord's `nonce` (≤ 25 characters). */
  idempotencyKey: string;
  kind: NotificationKind;
  /** Plain JSON data (see src/core/outbox/payload.ts); never transport objects. */
  payload: unknown;
  /** For `update`/`resolve`: the row whose message to edit. */
  targetId?: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
  /** The transport's message id, so later edits can find it. */
  sentRef?: string;
  createdAt: number;
  sentAt?: number;
  /**
   * Set when a send starts and cleared when its outcome is recorded: a row still carrying it was in
   * flight when its sender died (or its outcome was unknown), so the message may be in the channel.
   */
  inFlightSince?: number;
}

export interface NewOutboxRow {
  sink: string;
  idempotencyKey: string;
  kind: NotificationKind;
  payload: unknown;
  targetId?: number;
  createdAt: number;
}

export interface OutboxCounts {
  pending: number;
  sent: number;
  dead: number;
  superseded: number;
}

/**
 * Who may send: the leader's lease (holder and epoch). A claim made with a fence that no longer holds the
 * lease is refused, so a leader that was paused or cut off never posts after losing it. A single-process
 * store (SQLite) has no lease: it accepts any fence.
 */
export interface SendFence {
  holder: string;
  epoch: number;
}

/** `claimed`: send it (`wasInFlight`: an earlier send's outcome is unknown). `fenced`: not the leader. `gone`: no longer pending. */
export type ClaimResult = { kind: 'claimed'; wasInFlight: boolean } | { kind: 'fenced' } | { kind: 'gone' };

export interface OutboxStore {
  enqueue(row: NewOutboxRow): Promise<OutboxRow>;
  get(id: number): Promise<OutboxRow | undefined>;
  /** Pending rows for these sinks with nextAttemptAt ≤ now, oldest first. */
  due(now: number, sinks: readonly string[], limit: number): Promise<OutboxRow[]>;
  /** Marks the row in flight before its send, if it is still pending and `fence` holds the lease. */
  claim(id: number, fence: SendFence, at: number): Promise<ClaimResult>;
  markSent(id: number, ref: string | undefined, at: number): Promise<void>;
  markRetry(id: number, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  markDead(id: number, error: string, at: number): Promise<void>;
  /** Marks pending edits of `targetId` superseded; returns how many. */
  supersedeEdits(targetId: number): Promise<number>;
  /** A restart is a fresh start: pending rows become due now instead of waiting out an old backoff. */
  resetBackoff(now: number): Promise<number>;
  counts(): Promise<OutboxCounts>;
  list(filter?: { status?: OutboxStatus; kind?: NotificationKind; limit?: number }): Promise<OutboxRow[]>;
}
