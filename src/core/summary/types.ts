import { z } from 'zod';
import { ALERT_TYPES } from '../ports/alerts.js';

/**
 * The daily utilization summary as plain data. It is stored in the outbox as JSON and read back
 * after a restart, so the schema doubles as its validator; summary-view.ts renders it.
 */
const stats = {
  /** Latest value in the window. */
  now: z.number().optional(),
  avg: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
};

export const accountSummarySchema = z.object({
  account: z.string(),
  label: z.string().optional(),
  utilization: z.object(stats),
  /** (utilization now − target) / target. */
  deviationPercent: z.number().optional(),
  withinTolerance: z.boolean().optional(),
  equity: z.number().optional(),
  equityChange: z.number().optional(),
  upnl: z.number().optional(),
  upnlChange: z.number().optional(),
  /** Time of the latest sample; old when the account's sync is failing. */
  lastSampleAt: z.number().optional(),
  samples: z.number().int(),
});

export const dailySummarySchema = z.object({
  scheduledFor: z.number(),
  generatedAt: z.number(),
  windowMs: z.number(),
  target: z.number(),
  tolerance: z.number(),
  accounts: z.array(accountSummarySchema),
  portfolio: z.object({
    utilization: z.object(stats),
    equity: z.number().optional(),
    equityChange: z.number().optional(),
    upnl: z.number().optional(),
    upnlChange: z.number().optional(),
  }),
  rebalance: z
    .object({
      transfers: z.array(z.object({ from: z.string(), to: z.string(), amount: z.number() })),
      externalDeposit: z.number().optional(),
    })
    .optional(),
  symbols: z.array(
    z.object({
      symbol: z.string(),
      /** Largest deviation in the window and when it was seen. */
      maxDeviation: z.number().optional(),
      maxAt: z.number().optional(),
      deviation: z.number().optional(),
      tolerance: z.number(),
      limit: z.number(),
    }),
  ),
  alerts: z.object({
    fired: z.number().int(),
    acknowledged: z.number().int(),
    resolved: z.number().int(),
    openCritical: z.array(
      z.object({
        shortId: z.string(),
        type: z.enum(ALERT_TYPES),
        account: z.string().optional(),
        symbol: z.string().optional(),
        summary: z.string(),
        since: z.number(),
        acked: z.boolean(),
      }),
    ),
  }),
});

export type DailySummary = z.infer<typeof dailySummarySchema>;
export type AccountSummary = z.infer<typeof accountSummarySchema>;

/** A rebalance suggestion; the utilization planner's result fits after a small mapping. */
export interface RebalanceSuggestion {
  transfers: { from: string; to: string; amount: number }[];
  /** What surpluses cannot cover. */
  externalDeposit?: number;
}
