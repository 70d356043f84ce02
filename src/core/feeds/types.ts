/**
 * Market-data feeds: per canonical symbol, an ordered list of price sources (the venues that quote it),
 * each with a health state, and the one source whose price the snapshot uses. Plain data only.
 */
import type { PriceQuote, Symbol } from '../types.js';

export type FeedState = 'healthy' | 'degraded' | 'failing';

/** Thresholds of the feed state machine (`feeds` in the config; see `feedSettings`). */
export interface FeedSettings {
  /** A feed with no good quote for longer than this is failing (stale). */
  staleAfterMs: number;
  /** A fetch slower than this makes the feed degraded. */
  degradedLatencyMs: number;
  /** Consecutive failed fetches that make a feed failing; fewer make it degraded. */
  failAfter: number;
  /** Ticks a more-preferred feed must stay healthy before the symbol fails back to it. */
  recoverTicks: number;
  /**
   * Failing when the venue's own timestamp on a quote is older than this when it arrives (a frozen
   * upstream). Off when undefined: it relies on the venue's clock and ours agreeing.
   */
  maxQuoteAgeMs?: number;
  /** Source preference for every symbol; sources not listed rank after, in first-seen order. */
  order: readonly string[];
  /** Per canonical symbol, a preference that ranks before `order`. */
  preferred: Readonly<Record<Symbol, readonly string[]>>;
}

/** The outcome of one source's price fetch in one tick. */
export type SourceResult =
  | { source: string; ok: true; quotes: readonly PriceQuote[]; latencyMs: number }
  | { source: string; ok: false; error: { code: number; message: string }; latencyMs: number };

/** One source of one symbol, as `/feeds` shows it. */
export interface FeedView {
  /** Source name: the venue id. */
  name: string;
  state: FeedState;
  /** `state !== 'failing'`: the flag the failover alert rule counts. */
  ok: boolean;
  /** Why it is in this state, in a few words. */
  reason: string;
  /** Latest quote from this source (kept while it is failing). */
  mark?: number;
  /** Epoch ms the last good quote arrived. */
  lastUpdateAt?: number;
  /** Duration of the source's last price fetch. */
  latencyMs?: number;
  /** Failed fetches since start. */
  errorCount: number;
  consecutiveErrors: number;
  lastError?: { code: number; message: string };
}

/**
 * The feeds of one symbol. Structurally a `FeedHealth` of the alert rules (symbol, primary, active,
 * feeds[].name/ok), so `snapshot.feeds` is the `failover` rule's input as it is.
 */
export interface SymbolFeeds {
  symbol: Symbol;
  /** The feed that should serve the symbol: the admin's pin, else the first by preference. */
  primary: string;
  /** The feed serving it now; undefined when every feed is failing. */
  active?: string;
  /** Why the active feed serves: `primary`, `failover from binance: …`, `manual by …: reason`. */
  activeReason: string;
  /** Set while an admin's manual choice is in force. */
  pinned?: { source: string; by: string; reason: string; at: number };
  /** In preference order (primary first). */
  feeds: FeedView[];
}

export type FeedEventKind = 'failover' | 'failback' | 'manual' | 'auto' | 'lost' | 'restored';

/**
 * A change of the active feed. `failover`: the active one failed; `failback`: back to a preferred
 * one that recovered; `manual`/`auto`: an admin pinned a source or returned the symbol to automatic
 * choice; `lost`: no feed can serve; `restored`: one can again.
 */
export interface FeedEvent {
  at: number;
  symbol: Symbol;
  kind: FeedEventKind;
  from?: string;
  to?: string;
  reason: string;
  /** Who, for manual and auto. */
  actor?: string;
}

/** What one sync tick gets back from the feed manager. */
export interface FeedTick {
  /** The active source's latest quote per symbol. */
  prices: Record<Symbol, PriceQuote & { source: string }>;
  feeds: SymbolFeeds[];
  events: FeedEvent[];
}
