import type { AppConfig, ResolvedAccount } from '../config/load-config.js';
import type { VenueId } from '../core/types.js';
import type { AccountRef, VenueAdapter } from './adapter.js';
import { PaperVenue } from './paper/paper-venue.js';

export function accountRef(a: ResolvedAccount): AccountRef {
  const ref: AccountRef = { id: a.id, venue: a.venue };
  if (a.address) ref.address = a.address;
  if (a.multiAccountAddress) ref.multiAccountAddress = a.multiAccountAddress;
  if (a.apiKey || a.apiSecret) ref.credentials = { ...(a.apiKey ? { apiKey: a.apiKey } : {}), ...(a.apiSecret ? { apiSecret: a.apiSecret } : {}) };
  if (a.proxyUrl) ref.proxyUrl = a.proxyUrl;
  return ref;
}

/** Builds one adapter per venue that has accounts, in the order accounts first name them. */
export function createAdapters(cfg: AppConfig, now: () => number): Map<VenueId, VenueAdapter> {
  const adapters = new Map<VenueId, VenueAdapter>();
  for (const a of cfg.accounts) {
    if (adapters.has(a.venue)) continue;
    if (a.venue === 'paper') {
      const seeds = cfg.accounts.filter((x) => x.venue === 'paper').map((x) => ({ id: x.id, ...x.paper! }));
      adapters.set('paper', new PaperVenue(cfg.venues.paper ?? { seed: 1, markets: {}, timeline: [] }, seeds, now));
    } else {
      throw new Error(`venue ${a.venue} is not wired yet`);
    }
  }
  return adapters;
}
