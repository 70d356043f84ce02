import type { FeedHealth } from '../alerts/rules/types.js';
import type { SymbolFeeds } from './types.js';

export { FeedControl, AUTO_SOURCE, type FeedControlDeps } from './feed-control.js';
export { FeedManager, type FeedPin } from './feed-manager.js';
export { DEFAULT_FEED_SETTINGS, feedSettings } from './settings.js';
export type { FeedEvent, FeedEventKind, FeedSettings, FeedState, FeedTick, FeedView, SourceResult, SymbolFeeds } from './types.js';

/** The `failover` alert rule's input, exactly its shape (`snapshot.feeds` also fits it as is). */
export function feedHealth(feeds: readonly SymbolFeeds[] | undefined): FeedHealth[] {
  return (feeds ?? []).map((f) => ({
    symbol: f.symbol,
    primary: f.primary,
    ...(f.active !== undefined ? { active: f.active } : {}),
    feeds: f.feeds.map((x) => ({ name: x.name, ok: x.ok })),
  }));
}
