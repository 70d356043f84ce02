import type { AlertRecord } from '../ports/alerts.js';
import type { StoreScope } from '../ports/store.js';
import { alertGroupPayloadSchema, type AlertGroupPayload, type AlertNotice, type Delivery, type NoticeReason } from '../outbox/payload.js';
import type { Due } from './lifecycle.js';
import { SEVERITY_RANK } from './rules/index.js';

/**
 * Alerts due together go out as one message; it is split only here. A message of up to 25 alerts lists
 * each one; a bigger one (a storm) lists the most severe and attaches the full list as a text file
 * (about 110 bytes an alert: 2,500 make ~0.3 MB, far inside Discord's smallest upload limit of 8 MiB).
 * The bound keeps what one message costs reasonable: its outbox row (~0.5 KB an alert) and every edit
 * of it (an ack or resolve re-renders and re-uploads the whole list). Discord lets a bot post about 5
 * messages per 5 s in a channel, so 2,000 alerts in 80 messages of 25 took over a minute and met 429s.
 */
export const DEFAULT_MAX_ALERTS_PER_MESSAGE = 2_500;

export interface MessageOptions {
  /** One outbox row per sink and message. */
  sinks: readonly string[];
  maxAlertsPerMessage: number;
  newKey: () => string;
  /** When the alert is silenced, until when (shown on the message). */
  silencedUntil?: (a: AlertRecord) => number | undefined;
  /**
   * Routing (src/core/alerts/paging.ts): where each alert goes. Alerts due together go out as one message
   * per delivery. Default: one message, to the sink's default channel.
   */
  deliveries?: (a: AlertRecord) => readonly Delivery[];
}

/** What a message is beside its alerts: where it goes, and which escalation step it pages. */
export type MessageExtras = Pick<AlertGroupPayload, 'delivery' | 'escalation'>;

const finite = (v: number): number => (Number.isFinite(v) ? v : 0);

export function toNotice(a: AlertRecord, reason?: NoticeReason, silencedUntil?: number): AlertNotice {
  const n: AlertNotice = {
    id: a.id,
    shortId: a.shortId,
    type: a.type,
    severity: a.severity,
    state: a.state,
    summary: a.summary,
    value: finite(a.value),
    threshold: finite(a.threshold),
    startsAt: a.startsAt,
  };
  if (a.account !== undefined) n.account = a.account;
  if (a.symbol !== undefined) n.symbol = a.symbol;
  if (reason !== undefined) n.reason = reason;
  if (a.ackedBy !== undefined) n.ackedBy = a.ackedBy;
  if (a.ackedAt !== undefined) n.ackedAt = a.ackedAt;
  if (a.ackComment !== undefined) n.ackComment = a.ackComment;
  if (a.resolvedAt !== undefined) n.resolvedAt = a.resolvedAt;
  if (a.resolvedBy !== undefined) n.resolvedBy = a.resolvedBy;
  if (a.resolveComment !== undefined) n.resolveComment = a.resolveComment;
  if (silencedUntil !== undefined) n.silencedUntil = silencedUntil;
  if (a.escalationStep !== undefined) n.escalationStep = a.escalationStep;
  if (a.escalatedAt !== undefined) n.escalatedAt = a.escalatedAt;
  return n;
}

/** Most severe first, then by type, account and symbol, so a message reads the same every time. */
export function byImportance(x: AlertRecord, y: AlertRecord): number {
  return (
    SEVERITY_RANK[y.severity] - SEVERITY_RANK[x.severity] ||
    x.type.localeCompare(y.type) ||
    (x.account ?? '').localeCompare(y.account ?? '') ||
    (x.symbol ?? '').localeCompare(y.symbol ?? '')
  );
}

const isDefault = (d: Delivery): boolean => d.channelId === undefined && d.mentionRoleIds === undefined && d.dmUserId === undefined && d.silent !== true;
const deliveryKey = (d: Delivery): string => JSON.stringify([d.channelId ?? '', d.mentionRoleIds ?? null, d.dmUserId ?? '', d.silent === true]);

/**
 * Stores one message per delivery (route) for everything due together (split into parts only at the
 * size limit) and links each part to its alerts. Call inside the transaction that changes the alerts.
 * Returns the number of outbox rows written.
 */
export async function enqueueGroup(store: StoreScope, due: readonly Due[], now: number, opts: MessageOptions): Promise<number> {
  const buckets = new Map<string, { delivery: Delivery; due: Due[] }>();
  // Messages go out in the order of their most important alert.
  for (const d of [...due].sort((a, b) => byImportance(a.alert, b.alert))) {
    for (const delivery of opts.deliveries?.(d.alert) ?? [{}]) {
      const key = deliveryKey(delivery);
      const bucket = buckets.get(key) ?? { delivery, due: [] };
      bucket.due.push(d);
      buckets.set(key, bucket);
    }
  }
  let rows = 0;
  for (const b of buckets.values()) rows += await enqueueMessage(store, b.due, now, opts, isDefault(b.delivery) ? {} : { delivery: b.delivery });
  return rows;
}

/** One message (in parts at the size limit, one row per sink and part), linked to its alerts. */
export async function enqueueMessage(store: StoreScope, due: readonly Due[], now: number, opts: MessageOptions, extras: MessageExtras): Promise<number> {
  if (due.length === 0) return 0;
  const sorted = [...due].sort((a, b) => byImportance(a.alert, b.alert));
  const size = Math.max(1, opts.maxAlertsPerMessage);
  const chunks: Due[][] = [];
  for (let i = 0; i < sorted.length; i += size) chunks.push(sorted.slice(i, i + size));
  const groupId = opts.newKey();
  // An escalation page repeats alerts already notified: a repeat (the outbox kinds are fixed by its schema).
  const kind = extras.escalation !== undefined || due.every((d) => d.reason === 'repeat') ? 'repeat' : 'fire';
  let rows = 0;
  for (const sink of opts.sinks) {
    for (const [i, chunk] of chunks.entries()) {
      const payload: AlertGroupPayload = {
        type: 'alerts',
        groupId,
        part: i + 1,
        parts: chunks.length,
        createdAt: now,
        alerts: chunk.map((d) => toNotice(d.alert, d.reason, opts.silencedUntil?.(d.alert))),
        ...extras,
      };
      const row = await store.outbox.enqueue({ sink, idempotencyKey: opts.newKey(), kind, payload, createdAt: now });
      await store.alerts.linkMessage(
        row.id,
        chunk.map((d) => d.alert.id),
      );
      rows++;
    }
  }
  return rows;
}

/**
 * Stores an edit of every message that carries one of these alerts, re-rendered with the alerts'
 * current state (a grouped message shows its other alerts unchanged). A newer edit supersedes an
 * older one not yet sent. Call inside the transaction that changed the alerts. Returns rows written.
 */
export async function enqueueEdits(
  store: StoreScope,
  alertIds: readonly number[],
  kind: 'update' | 'resolve',
  now: number,
  opts: Omit<MessageOptions, 'sinks' | 'maxAlertsPerMessage'>,
): Promise<number> {
  const linked = new Set<number>();
  for (const id of alertIds) for (const m of await store.alerts.messagesOf(id)) linked.add(m);
  const messages = [...linked].sort((a, b) => a - b);
  let rows = 0;
  for (const messageId of messages) {
    const original = await store.outbox.get(messageId);
    const parsed = alertGroupPayloadSchema.safeParse(original?.payload);
    if (!original || !parsed.success) continue;
    const alerts: AlertNotice[] = [];
    for (const n of parsed.data.alerts) {
      const fresh = await store.alerts.get(n.id);
      alerts.push(fresh ? toNotice(fresh, n.reason, opts.silencedUntil?.(fresh)) : n);
    }
    await store.outbox.supersedeEdits(messageId);
    await store.outbox.enqueue({
      sink: original.sink,
      idempotencyKey: opts.newKey(),
      kind,
      payload: { ...parsed.data, alerts, editedAt: now } satisfies AlertGroupPayload,
      targetId: messageId,
      createdAt: now,
    });
    rows++;
  }
  return rows;
}
