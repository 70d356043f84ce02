import type { Logger } from '../ports/logger.js';
import type { PriceQuote, Symbol } from '../types.js';
import { classify, newRecord, recordError, recordMissing, recordQuote, type FeedRecord } from './feed-record.js';
import { selectActive, type Candidate } from './select-active.js';
import type { FeedEvent, FeedSettings, FeedTick, FeedView, SourceResult, SymbolFeeds } from './types.js';

/** An admin's choice of source for a symbol; it ranks first until cleared. */
export interface FeedPin {
  source: string;
  by: string;
  reason: string;
  at: number;
}

interface SymbolState {
  records: Map<string, FeedRecord>;
  active?: string;
  /** Why a non-primary feed is active (set when it became active). */
  activeReason: string;
  /** Every feed failed after one had served: the next usable one is a `restored` event. */
  lost: boolean;
}

const EVENT_LOG = 200;

/**
 * The market-data control plane: per symbol, every venue that quotes it is a feed; each sync tick
 * reports each venue's price fetch, the manager updates every feed's health and picks the active feed
 * (automatic failover and failback), and the snapshot takes its prices from the active feeds.
 * Admin pins (manual failover) are applied through `FeedControl`, which checks and audits them.
 */
export class FeedManager {
  private readonly symbols = new Map<Symbol, SymbolState>();
  private readonly pins = new Map<Symbol, FeedPin>();
  /** Sources in the order they were first seen: the tie-break after the configured order. */
  private readonly seen: string[] = [];
  private readonly log: FeedEvent[] = [];

  constructor(private readonly deps: { settings: FeedSettings; logger?: Logger }) {}

  get settings(): FeedSettings {
    return this.deps.settings;
  }

  /**
   * One tick: record each source's fetch, re-evaluate every symbol, return prices, status and changes.
   * `only` limits the returned status to those symbols (a venue can quote hundreds).
   */
  update(at: number, results: readonly SourceResult[], only?: ReadonlySet<Symbol>): FeedTick {
    for (const r of results) this.observe(r, at);
    const events: FeedEvent[] = [];
    for (const [symbol, st] of this.symbols) {
      const ranked = this.candidates(symbol, st, at, true);
      const sel = selectActive(ranked, st.active, st.lost, this.settings.recoverTicks);
      st.lost = sel.active === undefined && (st.active !== undefined || st.lost);
      if (sel.change) {
        const e: FeedEvent = { at, symbol, ...sel.change };
        st.activeReason = sel.change.kind === 'failover' ? `failover from ${sel.change.from}: ${sel.change.reason}` : sel.change.reason;
        events.push(e);
      }
      st.active = sel.active;
    }
    for (const e of events) this.record(e);
    return { prices: this.prices(), feeds: this.status(at, only), events };
  }

  /** The active feed's latest quote per symbol. */
  prices(): Record<Symbol, PriceQuote & { source: string }> {
    const out: Record<Symbol, PriceQuote & { source: string }> = {};
    for (const [symbol, st] of [...this.symbols].sort(([a], [b]) => a.localeCompare(b))) {
      const q = st.active ? st.records.get(st.active)?.quote : undefined;
      if (st.active && q) out[symbol] = { ...q, source: st.active };
    }
    return out;
  }

  /** Every symbol's feeds, as `/feeds` shows them and the failover rule reads them. */
  status(now: number, only?: ReadonlySet<Symbol>): SymbolFeeds[] {
    const symbols = [...this.symbols.keys()].filter((s) => !only || only.has(s)).sort();
    return symbols.map((s) => this.view(s, now)).filter((v): v is SymbolFeeds => v !== undefined);
  }

  view(symbol: Symbol, now: number): SymbolFeeds | undefined {
    const st = this.symbols.get(symbol);
    if (!st) return undefined;
    const ranked = this.candidates(symbol, st, now, false);
    const primary = ranked[0]?.name ?? '';
    const pin = this.pins.get(symbol);
    const feeds = ranked.map((c): FeedView => {
      const r = st.records.get(c.name)!;
      const v: FeedView = { name: c.name, state: c.state, ok: c.state !== 'failing', reason: c.reason, errorCount: r.errorCount, consecutiveErrors: r.consecutiveErrors };
      if (r.quote) v.mark = r.quote.mark;
      if (r.lastUpdateAt !== undefined) v.lastUpdateAt = r.lastUpdateAt;
      if (r.latencyMs !== undefined) v.latencyMs = r.latencyMs;
      if (r.lastError) v.lastError = r.lastError;
      return v;
    });
    const out: SymbolFeeds = { symbol, primary, activeReason: this.activeReason(st, primary, pin), feeds };
    if (st.active !== undefined) out.active = st.active;
    if (pin && st.records.has(pin.source)) out.pinned = { ...pin };
    return out;
  }

  /** Recent changes of active feeds, oldest first. */
  events(since = 0): FeedEvent[] {
    return this.log.filter((e) => e.at >= since);
  }

  pinOf(symbol: Symbol): FeedPin | undefined {
    return this.pins.get(symbol);
  }

  /** All pins, for persistence. */
  allPins(): Record<Symbol, FeedPin> {
    return Object.fromEntries(this.pins);
  }

  /**
   * Pins `source` (or clears the pin with undefined) and picks the active feed again at once: the pinned
   * source when it is not failing, else the best usable one. Callers validate and authorise first.
   */
  applyPin(symbol: Symbol, pin: FeedPin | undefined, at: number, actor?: string): FeedEvent | undefined {
    if (pin) this.pins.set(symbol, pin);
    else this.pins.delete(symbol);
    const st = this.symbols.get(symbol);
    if (!st) return undefined;
    const ranked = this.candidates(symbol, st, at, false);
    const first = ranked[0];
    const to = pin && first?.name === pin.source && first.state !== 'failing' ? first : (ranked.find((c) => c.state === 'healthy') ?? ranked.find((c) => c.state === 'degraded'));
    const from = st.active;
    st.active = to?.name;
    st.lost = to === undefined;
    const e: FeedEvent = pin
      ? { at, symbol, kind: 'manual', reason: pin.reason, actor: pin.by }
      : { at, symbol, kind: 'auto', reason: 'returned to automatic choice', ...(actor ? { actor } : {}) };
    if (from !== undefined) e.from = from;
    if (to) e.to = to.name;
    st.activeReason = e.reason;
    this.record(e);
    return e;
  }

  /** Restores a persisted pin without an event (at start, before the first tick). */
  restorePin(symbol: Symbol, pin: FeedPin): void {
    this.pins.set(symbol, pin);
  }

  private observe(r: SourceResult, at: number): void {
    if (!this.seen.includes(r.source)) this.seen.push(r.source);
    if (!r.ok) {
      for (const st of this.symbols.values()) {
        const rec = st.records.get(r.source);
        if (rec) recordError(rec, r.error, r.latencyMs);
      }
      return;
    }
    const listed = new Set<Symbol>();
    for (const q of r.quotes) {
      if (!(q.mark > 0) || listed.has(q.symbol)) continue;
      listed.add(q.symbol);
      let st = this.symbols.get(q.symbol);
      if (!st) {
        st = { records: new Map(), activeReason: 'primary', lost: false };
        this.symbols.set(q.symbol, st);
      }
      let rec = st.records.get(r.source);
      if (!rec) {
        rec = newRecord(r.source);
        st.records.set(r.source, rec);
      }
      recordQuote(rec, q, r.latencyMs, at);
    }
    for (const [symbol, st] of this.symbols) {
      const rec = st.records.get(r.source);
      if (rec && !listed.has(symbol)) recordMissing(rec, r.latencyMs);
    }
  }

  /** The symbol's feeds in rank order (pin, per-symbol preference, global order, first seen), classified. */
  private candidates(symbol: Symbol, st: SymbolState, now: number, tick: boolean): Candidate[] {
    const pin = this.pins.get(symbol)?.source;
    const prefs = [...(pin ? [pin] : []), ...(this.settings.preferred[symbol] ?? []), ...this.settings.order, ...this.seen];
    const names = [...new Set(prefs)].filter((n) => st.records.has(n));
    return names.map((name) => {
      const rec = st.records.get(name)!;
      const { state, reason } = classify(rec, this.settings, now);
      if (tick) rec.healthyStreak = state === 'healthy' ? rec.healthyStreak + 1 : 0;
      return { name, state, reason, healthyStreak: rec.healthyStreak };
    });
  }

  private activeReason(st: SymbolState, primary: string, pin: FeedPin | undefined): string {
    if (st.active === undefined) return st.records.size ? 'every feed failing' : 'no feed';
    if (pin && st.active === pin.source) return `manual by ${pin.by}: ${pin.reason}`;
    if (st.active === primary) return 'primary';
    return st.activeReason;
  }

  private record(e: FeedEvent): void {
    this.log.push(e);
    if (this.log.length > EVENT_LOG) this.log.splice(0, this.log.length - EVENT_LOG);
    const level = e.kind === 'failover' || e.kind === 'lost' ? 'warn' : 'info';
    this.deps.logger?.[level]({ job: 'feeds', symbol: e.symbol, kind: e.kind, from: e.from, to: e.to, actor: e.actor }, `feed ${e.kind}`);
  }
}
