import type { NotificationKind } from '../ports/alerts.js';
import type { NotificationPayload } from './payload.js';

/** One message to deliver: a new post, or (with `editRef`) an edit of a message already sent. */
export interface OutboundNotification {
  outboxId: number;
  kind: NotificationKind;
  payload: NotificationPayload;
  /** For edits (kind update/resolve): the message to edit. Absent when the original never got out: post it new. */
  editRef?: string;
  createdAt: number;
}

/**
 * A notifier's answer is part of its contract (Alertmanager's "retry or not"):
 * - delivered: accepted; `ref` identifies the message for later edits;
 * - retry: try again later, after `afterMs` at least when the transport said so (Retry-After);
 * - permanent: will never work (bad request, unknown channel); the row goes dead and is logged.
 */
export type DeliveryResult =
  | { kind: 'delivered'; ref?: string }
  | { kind: 'retry'; afterMs?: number; reason: string }
  | { kind: 'permanent'; reason: string };

export interface NotificationSink {
  readonly name: string;
  /**
   * The transport deduplicates by key (Discord: message `nonce` with `enforce_nonce`), so a crash
   * between send and mark-sent posts nothing twice. Without it delivery is at-least-once.
   */
  readonly supportsIdempotency: boolean;
  deliver(n: OutboundNotification, idempotencyKey: string): Promise<DeliveryResult>;
  /**
   * Looks for a message this sink posted with `idempotencyKey` (a marker in every message it posts) among
   * the channel's recent messages; its ref when found. Asked before re-sending a row whose earlier send
   * was in flight when its sender died, since the transport's own deduplication lasts minutes only.
   */
  findDelivered?(n: OutboundNotification, idempotencyKey: string): Promise<string | undefined>;
}
