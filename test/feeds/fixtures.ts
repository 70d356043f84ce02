import type { SourceResult } from '../../src/core/feeds/types.js';
import { DEFAULT_FEED_SETTINGS } from '../../src/core/feeds/settings.js';
import type { FeedSettings } from '../../src/core/feeds/types.js';

export const T0 = Date.UTC(2026, 0, 1, 12, 0);
export const TICK = 15_000;

export function settings(over: Partial<FeedSettings> = {}): FeedSettings {
  return { ...DEFAULT_FEED_SETTINGS, order: ['binance', 'pacifica'], ...over };
}

/** A good price fetch quoting `marks` (symbol → mark), stamped at `ts`. */
export function ok(source: string, marks: Record<string, number>, ts: number, latencyMs = 40): SourceResult {
  return { source, ok: true, latencyMs, quotes: Object.entries(marks).map(([symbol, mark]) => ({ symbol, mark, ts })) };
}

export function down(source: string, latencyMs = 5000): SourceResult {
  return { source, ok: false, latencyMs, error: { code: 2001, message: `${source} GET /prices timed out after 5000 ms` } };
}
