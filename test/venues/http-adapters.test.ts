import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { createVenueAdapter, HTTP_VENUES, isHttpVenue } from '../../src/venues/http-adapters.js';

describe('createVenueAdapter', () => {
  it('builds each real venue with its capability map, without any I/O until called', async () => {
    const clock = new FakeClock();
    for (const venue of HTTP_VENUES) {
      const a = createVenueAdapter(venue, { clock, baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000, concurrency: 2 });
      expect(a.venue).toBe(venue);
      expect(a.capabilities.keyPermissions).toBe(venue === 'binance' || venue === 'aster');
      expect(typeof a.checkKey === 'function').toBe(venue === 'binance' || venue === 'aster');
      await a.close();
    }
    expect(isHttpVenue('paper')).toBe(false);
    expect(isHttpVenue('rasa')).toBe(true);
  });
});
