import type { VenueAdapter } from '../core/ports/venue-adapter.js';
import { AsterAdapter } from './aster/aster-adapter.js';
import { BinanceAdapter } from './binance/binance-adapter.js';
import type { BinanceLikeOptions } from './binance-like/binance-like-adapter.js';
import type { HttpAdapterOptions } from './http/adapter-options.js';
import { PacificaAdapter, type PacificaOptions } from './pacifica/pacifica-adapter.js';
import { RasaAdapter, type RasaOptions } from './rasa/rasa-adapter.js';
import type { HttpVenueId } from './http-venues.js';

export { HTTP_VENUES, isHttpVenue, type HttpVenueId } from './http-venues.js';

/** Common options plus every venue's optional extras; each adapter reads the ones it knows. */
export type VenueAdapterOptions = HttpAdapterOptions & Partial<Omit<PacificaOptions & BinanceLikeOptions & RasaOptions, keyof HttpAdapterOptions>>;

/** One adapter per real venue; config maps `venues.<id>` (baseUrl, timeout, concurrency, apiKeyEnv) onto opts. */
export function createVenueAdapter(venue: HttpVenueId, opts: VenueAdapterOptions): VenueAdapter {
  switch (venue) {
    case 'pacifica':
      return new PacificaAdapter(opts);
    case 'binance':
      return new BinanceAdapter(opts);
    case 'aster':
      return new AsterAdapter(opts);
    case 'rasa':
      return new RasaAdapter(opts);
  }
}
