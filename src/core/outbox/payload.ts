import { z } from 'zod';
import { ALERT_TYPES, SEVERITIES } from '../ports/alerts.js';
import { dailySummarySchema } from '../summary/types.js';

/**
 * What an outbox row carries: plain JSON, rendered by the sink at delivery time. Validated when read,
 * so a row written by an older version that no longer fits becomes `dead` (logged) instead of
 * crashing the dispatcher.
 */
export const NOTICE_REASONS = ['new', 'escalated', 'deescalated', 'repeat'] as const;
export type NoticeReason = (typeof NOTICE_REASONS)[number];

export const alertNoticeSchema = z.object({
  id: z.number().int(),
  shortId: z.string(),
  type: z.enum(ALERT_TYPES),
  account: z.string().optional(),
  symbol: z.string().optional(),
  severity: z.enum(SEVERITIES),
  state: z.enum(['pending', 'firing', 'resolved']),
  /** Why it is in the message; edits keep the original reason. */
  reason: z.enum(NOTICE_REASONS).optional(),
  summary: z.string(),
  value: z.number(),
  threshold: z.number(),
  startsAt: z.number(),
  ackedBy: z.string().optional(),
  ackedAt: z.number().optional(),
  ackComment: z.string().optional(),
  resolvedAt: z.number().optional(),
  resolvedBy: z.string().optional(),
  resolveComment: z.string().optional(),
  silencedUntil: z.number().optional(),
  /** Escalation steps sent so far, and when the last one went out. */
  escalationStep: z.number().int().optional(),
  escalatedAt: z.number().optional(),
});
export type AlertNotice = z.infer<typeof alertNoticeSchema>;

/**
 * Where a message goes and whom it pings, as the core's routing decided (src/core/alerts/paging.ts). Ids
 * are the transport's (Discord channel, role, user), opaque to the core. Absent fields: the sink's
 * defaults (its alert channel; its alert role on an open CRITICAL).
 */
export const deliverySchema = z.object({
  channelId: z.string().optional(),
  /** Exactly the roles pinged while the message carries an open alert (empty: nobody). */
  mentionRoleIds: z.array(z.string()).optional(),
  /** A direct message to this user instead of a channel post. */
  dmUserId: z.string().optional(),
  /** Posted without a notification (Discord's SUPPRESS_NOTIFICATIONS), pinging nobody. */
  silent: z.boolean().optional(),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const alertGroupPayloadSchema = z.object({
  type: z.literal('alerts'),
  /** Shared by the parts of one group split by the size limit. */
  groupId: z.string(),
  part: z.number().int().min(1),
  parts: z.number().int().min(1),
  /** When the group was due (edits keep it). */
  createdAt: z.number(),
  /** Set on edits: when the content was last changed. */
  editedAt: z.number().optional(),
  alerts: z.array(alertNoticeSchema).min(1),
  /** Routing: where it goes, whom it pings (absent: the sink's defaults). Edits keep it. */
  delivery: deliverySchema.optional(),
  /** Set on an escalation page: step `step` of `steps`, sent `afterMs` after the alerts were first notified as CRITICAL. */
  escalation: z.object({ step: z.number().int().min(1), steps: z.number().int().min(1), afterMs: z.number() }).optional(),
});
export type AlertGroupPayload = z.infer<typeof alertGroupPayloadSchema>;

export const summaryPayloadSchema = z.object({
  type: z.literal('summary'),
  scheduledFor: z.number(),
  timezone: z.string(),
  summary: dailySummarySchema,
});
export type SummaryPayload = z.infer<typeof summaryPayloadSchema>;

export const notificationPayloadSchema = z.discriminatedUnion('type', [alertGroupPayloadSchema, summaryPayloadSchema]);
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>;
