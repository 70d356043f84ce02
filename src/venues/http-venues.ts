import type { VenueId } from '../core/types.js';

/**
 * The venues reached over HTTP. Apart from the adapters (./http-adapters.ts) so that a start with paper
 * accounts only can tell it needs none of them without loading them (and undici, which they bring).
 */
export const HTTP_VENUES = ['pacifica', 'binance', 'aster', 'rasa'] as const;
export type HttpVenueId = (typeof HTTP_VENUES)[number];

export function isHttpVenue(v: VenueId): v is HttpVenueId {
  return (HTTP_VENUES as readonly string[]).includes(v);
}
