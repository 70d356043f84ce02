import type { PriceQuote } from '../types.js';
import type { FeedSettings, FeedState } from './types.js';

/** What the manager remembers about one source of one symbol between ticks. */
export interface FeedRecord {
  source: string;
  quote?: PriceQuote;
  /** Epoch ms the last good quote arrived. */
  lastUpdateAt?: number;
  latencyMs?: number;
  errorCount: number;
  consecutiveErrors: number;
  lastError?: { code: number; message: string };
  /** The source's last good fetch did not list the symbol. */
  missing: boolean;
  /** How old the venue's own timestamp was when the last quote arrived (≥ 0). */
  quoteAgeMs?: number;
  /** Consecutive ticks evaluated healthy: what a failback waits for. */
  healthyStreak: number;
}

export function newRecord(source: string): FeedRecord {
  return { source, errorCount: 0, consecutiveErrors: 0, missing: false, healthyStreak: 0 };
}

export function recordQuote(r: FeedRecord, quote: PriceQuote, latencyMs: number, at: number): void {
  r.quote = quote;
  r.lastUpdateAt = at;
  r.latencyMs = latencyMs;
  r.consecutiveErrors = 0;
  r.missing = false;
  r.quoteAgeMs = Math.max(0, at - quote.ts);
}

/** The source answered but no longer lists the symbol: it ages towards stale without counting as an error. */
export function recordMissing(r: FeedRecord, latencyMs: number): void {
  r.latencyMs = latencyMs;
  r.consecutiveErrors = 0;
  r.missing = true;
}

export function recordError(r: FeedRecord, error: { code: number; message: string }, latencyMs: number): void {
  r.latencyMs = latencyMs;
  r.errorCount += 1;
  r.consecutiveErrors += 1;
  r.lastError = error;
}

const secs = (ms: number): string => (ms >= 120_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 1000)}s`);
const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 79)}…` : s);

/**
 * The feed state machine, worst condition first:
 * failing — `failAfter` failed fetches in a row, no good quote for `staleAfter`, or (when set) a venue
 * timestamp older than `maxQuoteAge`; degraded — the last fetch failed (fewer than `failAfter` in a row),
 * the last fetch did not list the symbol, or it took longer than `degradedLatency`; healthy otherwise.
 */
export function classify(r: FeedRecord, s: FeedSettings, now: number): { state: FeedState; reason: string } {
  const err = r.lastError ? `: ${clip(r.lastError.message)}` : '';
  if (r.consecutiveErrors >= s.failAfter) return { state: 'failing', reason: `${r.consecutiveErrors} failed fetch${r.consecutiveErrors === 1 ? '' : 'es'} in a row${err}` };
  if (r.lastUpdateAt === undefined) return { state: 'failing', reason: `no quote yet${err}` };
  const age = now - r.lastUpdateAt;
  if (age > s.staleAfterMs) return { state: 'failing', reason: `stale: no update for ${secs(age)} (> ${secs(s.staleAfterMs)})` };
  if (s.maxQuoteAgeMs !== undefined && (r.quoteAgeMs ?? 0) > s.maxQuoteAgeMs) {
    return { state: 'failing', reason: `frozen: venue timestamp ${secs(r.quoteAgeMs ?? 0)} old (> ${secs(s.maxQuoteAgeMs)})` };
  }
  if (r.consecutiveErrors > 0) return { state: 'degraded', reason: `last fetch failed${err}` };
  if (r.missing) return { state: 'degraded', reason: 'not listed in the last fetch' };
  if (r.latencyMs !== undefined && r.latencyMs > s.degradedLatencyMs) return { state: 'degraded', reason: `slow: ${Math.round(r.latencyMs)} ms (> ${s.degradedLatencyMs} ms)` };
  return { state: 'healthy', reason: 'ok' };
}
