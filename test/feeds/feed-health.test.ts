import { describe, expect, it } from 'vitest';
import { failoverRule } from '../../src/core/alerts/rules/feed-rules.js';
import type { FeedHealth, RuleInput } from '../../src/core/alerts/rules/types.js';
import { feedHealth, FeedManager } from '../../src/core/feeds/index.js';
import { down, ok, settings, T0, TICK } from './fixtures.js';

/** The failover rule reads only `feeds`; the rest of its input is irrelevant here. */
function run(feeds: readonly FeedHealth[]) {
  return failoverRule({ feeds } as unknown as RuleInput);
}

describe('feed status as the failover alert rule input', () => {
  it('is the rule\'s FeedHealth shape, as is and through feedHealth()', () => {
    const m = new FeedManager({ settings: settings() });
    const t = m.update(T0, [ok('binance', { BTC: 1 }, T0), ok('pacifica', { BTC: 2 }, T0)]);
    const asIs: readonly FeedHealth[] = t.feeds;
    expect(feedHealth(asIs as typeof t.feeds)).toEqual([
      { symbol: 'BTC', primary: 'binance', active: 'binance', feeds: [{ name: 'binance', ok: true }, { name: 'pacifica', ok: true }] },
    ]);
    expect(run(t.feeds)).toEqual([]);
  });

  it('raises WARN while a symbol is on a backup feed and CRITICAL when every feed fails', () => {
    const m = new FeedManager({ settings: settings({ failAfter: 1 }) });
    let t = T0;
    m.update(t, [ok('binance', { BTC: 1, ETH: 1 }, t), ok('pacifica', { BTC: 2 }, t)]);
    t += TICK;
    const tick = m.update(t, [down('binance'), ok('pacifica', { BTC: 2 }, t)]);
    expect(tick.events.map((e) => `${e.symbol} ${e.kind}`)).toEqual(['BTC failover', 'ETH lost']);
    expect(run(feedHealth(tick.feeds)).map((c) => [c.symbol, c.severity, c.summary])).toEqual([
      ['BTC', 'WARN', 'BTC: failed over from binance to pacifica'],
      ['ETH', 'CRITICAL', 'ETH: every price feed failing (1)'],
    ]);
  });
});
