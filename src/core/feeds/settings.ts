import type { FeedsConfig } from '../settings.js';
import { canonicalSymbol } from '../symbols.js';
import type { FeedSettings } from './types.js';

export const DEFAULT_FEED_SETTINGS: FeedSettings = {
  staleAfterMs: 60_000,
  degradedLatencyMs: 2_000,
  failAfter: 2,
  recoverTicks: 3,
  order: [],
  preferred: {},
};

/**
 * Feed settings from the `feeds` config section. Without an explicit `order`, sources rank in the order
 * the accounts name their venues (`venueOrder`); per-symbol preferences are keyed by canonical symbol.
 */
export function feedSettings(cfg: Partial<FeedsConfig> | undefined, venueOrder: readonly string[] = []): FeedSettings {
  const preferred: Record<string, readonly string[]> = {};
  for (const [symbol, sources] of Object.entries(cfg?.preferred ?? {})) preferred[canonicalSymbol(symbol).symbol] = sources;
  const s: FeedSettings = {
    staleAfterMs: cfg?.staleAfter ?? DEFAULT_FEED_SETTINGS.staleAfterMs,
    degradedLatencyMs: cfg?.degradedLatency ?? DEFAULT_FEED_SETTINGS.degradedLatencyMs,
    failAfter: cfg?.failAfter ?? DEFAULT_FEED_SETTINGS.failAfter,
    recoverTicks: cfg?.recoverTicks ?? DEFAULT_FEED_SETTINGS.recoverTicks,
    order: cfg?.order?.length ? [...cfg.order] : [...venueOrder],
    preferred,
  };
  if (cfg?.maxQuoteAge !== undefined) s.maxQuoteAgeMs = cfg.maxQuoteAge;
  return s;
}
