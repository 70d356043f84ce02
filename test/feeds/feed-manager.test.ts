import { describe, expect, it } from 'vitest';
import { FeedManager } from '../../src/core/feeds/feed-manager.js';
import { down, ok, settings, T0, TICK } from './fixtures.js';

const feedsOf = (m: FeedManager, symbol: string, now: number) => m.view(symbol, now)!;

describe('FeedManager: health and automatic failover', () => {
  it('serves each symbol from its first feed by preference, with every feed healthy', () => {
    const m = new FeedManager({ settings: settings() });
    const t = m.update(T0, [ok('pacifica', { BTC: 60_010, SOL: 150 }, T0), ok('binance', { BTC: 60_000, ETH: 3000 }, T0)]);
    expect(t.events).toEqual([]);
    expect(t.prices['BTC']).toEqual({ symbol: 'BTC', mark: 60_000, ts: T0, source: 'binance' });
    expect(t.prices['SOL']?.source).toBe('pacifica');
    const btc = t.feeds.find((f) => f.symbol === 'BTC')!;
    expect(btc).toMatchObject({ primary: 'binance', active: 'binance', activeReason: 'primary' });
    expect(btc.feeds.map((f) => [f.name, f.state, f.ok, f.latencyMs, f.errorCount])).toEqual([
      ['binance', 'healthy', true, 40, 0],
      ['pacifica', 'healthy', true, 40, 0],
    ]);
    expect(t.feeds.map((f) => f.symbol)).toEqual(['BTC', 'ETH', 'SOL']);
  });

  it('one failed fetch degrades the active feed and keeps it; the second fails it over; the recovered primary takes back after recoverTicks', () => {
    const m = new FeedManager({ settings: settings({ failAfter: 2, recoverTicks: 3 }) });
    let t = T0;
    m.update(t, [ok('binance', { BTC: 60_000 }, t), ok('pacifica', { BTC: 60_010 }, t)]);

    t += TICK;
    const blip = m.update(t, [down('binance'), ok('pacifica', { BTC: 60_020 }, t)]);
    expect(blip.events).toEqual([]);
    expect(blip.prices['BTC']).toMatchObject({ source: 'binance', mark: 60_000, ts: T0 });
    expect(feedsOf(m, 'BTC', t).feeds[0]).toMatchObject({ name: 'binance', state: 'degraded', ok: true, consecutiveErrors: 1, errorCount: 1, latencyMs: 5000 });
    expect(feedsOf(m, 'BTC', t).feeds[0]?.reason).toBe('last fetch failed: binance GET /prices timed out after 5000 ms');

    t += TICK;
    const fail = m.update(t, [down('binance'), ok('pacifica', { BTC: 60_030 }, t)]);
    expect(fail.events).toEqual([
      { at: t, symbol: 'BTC', kind: 'failover', from: 'binance', to: 'pacifica', reason: 'binance failing: 2 failed fetches in a row: binance GET /prices timed out after 5000 ms' },
    ]);
    expect(fail.prices['BTC']).toMatchObject({ source: 'pacifica', mark: 60_030 });
    const v = feedsOf(m, 'BTC', t);
    expect(v).toMatchObject({ primary: 'binance', active: 'pacifica' });
    expect(v.activeReason).toBe('failover from binance: binance failing: 2 failed fetches in a row: binance GET /prices timed out after 5000 ms');
    expect(v.feeds[0]).toMatchObject({ state: 'failing', ok: false, errorCount: 2, lastUpdateAt: T0 });

    // Healthy again: two ticks are not enough (hysteresis), the third switches back.
    for (const n of [1, 2]) {
      t += TICK;
      const r = m.update(t, [ok('binance', { BTC: 60_100 + n }, t), ok('pacifica', { BTC: 60_200 + n }, t)]);
      expect(r.events).toEqual([]);
      expect(r.prices['BTC']?.source).toBe('pacifica');
    }
    t += TICK;
    const back = m.update(t, [ok('binance', { BTC: 60_103 }, t), ok('pacifica', { BTC: 60_203 }, t)]);
    expect(back.events).toEqual([{ at: t, symbol: 'BTC', kind: 'failback', from: 'pacifica', to: 'binance', reason: 'binance healthy for 3 ticks' }]);
    expect(back.prices['BTC']).toMatchObject({ source: 'binance', mark: 60_103 });
    expect(feedsOf(m, 'BTC', t)).toMatchObject({ active: 'binance', activeReason: 'primary' });
    // The error count is a running total; the streak is reset.
    expect(feedsOf(m, 'BTC', t).feeds[0]).toMatchObject({ errorCount: 2, consecutiveErrors: 0, state: 'healthy' });
    expect(m.events().map((e) => e.kind)).toEqual(['failover', 'failback']);
  });

  it('every feed failing: the symbol has no active feed (lost), and the first that answers again restores it', () => {
    const m = new FeedManager({ settings: settings({ failAfter: 1 }) });
    let t = T0;
    m.update(t, [ok('binance', { ETH: 3000 }, t), ok('pacifica', { ETH: 3001 }, t)]);
    t += TICK;
    const lost = m.update(t, [down('binance'), down('pacifica')]);
    expect(lost.events).toEqual([{ at: t, symbol: 'ETH', kind: 'lost', from: 'binance', reason: 'binance failing: 1 failed fetch in a row: binance GET /prices timed out after 5000 ms; no other feed can serve' }]);
    expect(lost.prices['ETH']).toBeUndefined();
    expect(feedsOf(m, 'ETH', t)).toMatchObject({ activeReason: 'every feed failing' });
    expect(feedsOf(m, 'ETH', t).active).toBeUndefined();
    t += TICK;
    expect(m.update(t, [down('binance'), down('pacifica')]).events).toEqual([]);
    t += TICK;
    const back = m.update(t, [down('binance'), ok('pacifica', { ETH: 3010 }, t)]);
    expect(back.events).toEqual([{ at: t, symbol: 'ETH', kind: 'restored', to: 'pacifica', reason: 'pacifica can serve again' }]);
    expect(back.prices['ETH']).toMatchObject({ source: 'pacifica', mark: 3010 });
  });

  it('a feed that stops listing a symbol is degraded, then failing once it is older than staleAfter', () => {
    const m = new FeedManager({ settings: settings({ staleAfterMs: 40_000 }) });
    let t = T0;
    m.update(t, [ok('binance', { BTC: 1, ETH: 2 }, t), ok('pacifica', { ETH: 3 }, t)]);
    t += TICK;
    m.update(t, [ok('binance', { BTC: 1 }, t), ok('pacifica', { ETH: 3 }, t)]);
    expect(feedsOf(m, 'ETH', t).feeds[0]).toMatchObject({ name: 'binance', state: 'degraded', reason: 'not listed in the last fetch', errorCount: 0 });
    expect(feedsOf(m, 'ETH', t).active).toBe('binance');
    t += 2 * TICK; // 45 s since binance last quoted ETH
    const r = m.update(t, [ok('binance', { BTC: 1 }, t), ok('pacifica', { ETH: 3 }, t)]);
    expect(r.events[0]).toMatchObject({ kind: 'failover', from: 'binance', to: 'pacifica', reason: 'binance failing: stale: no update for 45s (> 40s)' });
  });

  it('slow answers degrade a feed without moving the symbol off it', () => {
    const m = new FeedManager({ settings: settings({ degradedLatencyMs: 2000 }) });
    let t = T0;
    m.update(t, [ok('binance', { BTC: 1 }, t), ok('pacifica', { BTC: 2 }, t)]);
    for (let i = 0; i < 5; i++) {
      t += TICK;
      expect(m.update(t, [ok('binance', { BTC: 1 }, t, 2500), ok('pacifica', { BTC: 2 }, t)]).events).toEqual([]);
    }
    expect(feedsOf(m, 'BTC', t)).toMatchObject({ active: 'binance' });
    expect(feedsOf(m, 'BTC', t).feeds[0]).toMatchObject({ state: 'degraded', reason: 'slow: 2500 ms (> 2000 ms)', ok: true });
  });

  it('maxQuoteAge (off by default) fails a feed whose venue timestamp is frozen', () => {
    const old = T0 - 10 * 60_000;
    const plain = new FeedManager({ settings: settings() });
    plain.update(T0, [ok('binance', { BTC: 1 }, old), ok('pacifica', { BTC: 2 }, T0)]);
    expect(plain.view('BTC', T0)?.feeds[0]?.state).toBe('healthy');

    const strict = new FeedManager({ settings: settings({ maxQuoteAgeMs: 120_000 }) });
    const r = strict.update(T0, [ok('binance', { BTC: 1 }, old), ok('pacifica', { BTC: 2 }, T0)]);
    expect(r.prices['BTC']?.source).toBe('pacifica');
    expect(strict.view('BTC', T0)?.feeds[0]).toMatchObject({ state: 'failing', reason: 'frozen: venue timestamp 10m old (> 2m)' });
  });

  it('ranks a per-symbol preference first, then the global order, then sources in the order first seen', () => {
    const m = new FeedManager({ settings: settings({ order: ['binance'], preferred: { BTC: ['pacifica'] } }) });
    const t = m.update(T0, [ok('paper', { BTC: 3, ETH: 3 }, T0), ok('pacifica', { BTC: 2, ETH: 2 }, T0), ok('binance', { BTC: 1, ETH: 1 }, T0)]);
    const names = (s: string) => t.feeds.find((f) => f.symbol === s)?.feeds.map((f) => f.name);
    expect(names('BTC')).toEqual(['pacifica', 'binance', 'paper']);
    expect(names('ETH')).toEqual(['binance', 'paper', 'pacifica']);
    expect(t.prices['BTC']?.source).toBe('pacifica');
    expect(t.prices['ETH']?.source).toBe('binance');
  });

  it('ignores non-positive marks and keeps no more than one quote per symbol and source', () => {
    const m = new FeedManager({ settings: settings() });
    const t = m.update(T0, [{ source: 'binance', ok: true, latencyMs: 1, quotes: [{ symbol: 'X', mark: 0, ts: T0 }, { symbol: 'BTC', mark: 5, ts: T0 }, { symbol: 'BTC', mark: 6, ts: T0 }] }]);
    expect(Object.keys(t.prices)).toEqual(['BTC']);
    expect(t.prices['BTC']?.mark).toBe(5);
  });
});
