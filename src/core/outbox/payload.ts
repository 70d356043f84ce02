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
});
export type AlertNotice = z.infer<typeof alertNoticeSchema>;

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
