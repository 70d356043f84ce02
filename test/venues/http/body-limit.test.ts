import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { ErrorCode } from '../../../src/core/errors.js';
import { DEFAULT_MAX_BODY_BYTES, formatBytes } from '../../../src/venues/http/body-limit.js';
import { HttpClient } from '../../../src/venues/http/http-client.js';
import { PacificaAdapter } from '../../../src/venues/pacifica/pacifica-adapter.js';
import { FakeHttpServer, type FakeReply } from '../../fakes/venues/fake-http-server.js';
import { PacificaFake } from '../../fakes/venues/pacifica-fake.js';
import { expectVenueError } from '../expect-helpers.js';

const MiB = 1024 * 1024;

/** Any path answers `{"ok":true}`; the bodies under test come from the `reply` and `huge` faults. */
class PlainFake extends FakeHttpServer {
  protected handle(): FakeReply {
    return { json: { ok: true } };
  }
}

/*
 * Issue #11 (2): a 200 MB body was read whole. Every body is now capped: a content-length over the cap
 * is refused before reading, a chunked body is aborted once it passes the cap. No timings asserted; the
 * server's own count of bytes it got to write shows the read stopped.
 */
describe('response body cap: exact boundary', () => {
  const clock = new FakeClock(0);
  let fake: PlainFake;
  let client: HttpClient;

  beforeAll(async () => {
    fake = new PlainFake();
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    client = new HttpClient({
      venue: 'binance', baseUrl: fake.url, timeoutMs: 10_000, concurrency: 2, clock, maxBodyBytes: 1024,
      rateLimit: { weight: 1000, windowMs: 1000 }, sleep: async () => undefined, retry: { maxAttempts: 3 },
    });
  });
  afterEach(async () => {
    await client.close();
  });

  // The `huge` body is a JSON string: 1024 bytes are the two quotes and 1022 x's.
  it('content-length: 1024 bytes are read, 1025 are refused before reading, without a retry', async () => {
    fake.setFault('huge', { bytes: 1024, times: 1 });
    expect(((await client.request({ path: '/fapi/v1/exchangeInfo' })).json as string).length).toBe(1022);

    fake.setFault('huge', { bytes: 1025 });
    const e = await expectVenueError(client.request({ path: '/fapi/v1/exchangeInfo' }));
    expect([e.code, e.retryable, e.kind, e.status]).toEqual([ErrorCode.MarketDataUnavailable, false, 'bad-payload', 200]);
    expect(e.message).toBe('binance GET /fapi/v1/exchangeInfo: unusable response (body of 1025 bytes declared, over the 1 KiB limit)');
    expect(fake.requests).toHaveLength(2); // 1 good + 1 refused, not retried (maxAttempts 3)
  });

  it('chunked (no content-length): 1024 bytes are read, 1025 are aborted mid-stream', async () => {
    fake.setFault('huge', { bytes: 1024, chunked: true, times: 1 });
    expect(((await client.request({ path: '/fapi/v1/exchangeInfo' })).json as string).length).toBe(1022);

    fake.setFault('huge', { bytes: 1025, chunked: true });
    const e = await expectVenueError(client.request({ path: '/fapi/v1/exchangeInfo' }));
    expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.MarketDataUnavailable, false, 'bad-payload']);
    expect(e.message).toBe('binance GET /fapi/v1/exchangeInfo: unusable response (body over the 1 KiB limit)');
    expect(fake.requests).toHaveLength(2);
  });

  it('names limits exactly', () => {
    expect([formatBytes(DEFAULT_MAX_BODY_BYTES), formatBytes(64 * MiB), formatBytes(1024), formatBytes(1025)]).toEqual(['8 MiB', '64 MiB', '1 KiB', '1025 bytes']);
  });
});

describe('response body cap: a 64 MiB body from a venue', () => {
  const clock = new FakeClock(0);
  let fake: PacificaFake;
  const adapters: PacificaAdapter[] = [];
  const make = (maxBodyBytes?: number): PacificaAdapter => {
    const a = new PacificaAdapter({ baseUrl: fake.apiBase, clock, timeoutMs: 30_000, sleep: async () => undefined, maxBodyBytes });
    adapters.push(a);
    return a;
  };

  beforeAll(async () => {
    fake = await PacificaFake.withAccounts(1);
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => fake.reset());
  afterEach(async () => {
    await Promise.all(adapters.splice(0).map((a) => a.close()));
  });

  for (const chunked of [false, true]) {
    it(`${chunked ? 'chunked' : 'with content-length'}: 1 MiB cap → 1005 naming venue, path and limit; the server stops writing far short of 64 MiB`, async () => {
      fake.setFault('huge', { path: '/info/prices', bytes: 64 * MiB, chunked });
      const e = await expectVenueError(make(MiB).fetchPrices());
      expect([e.code, e.retryable, e.kind]).toEqual([ErrorCode.MarketDataUnavailable, false, 'bad-payload']);
      expect(e.message).toBe(
        chunked
          ? 'pacifica GET /info/prices: unusable response (body over the 1 MiB limit)'
          : 'pacifica GET /info/prices: unusable response (body of 64 MiB declared, over the 1 MiB limit)',
      );
      expect(fake.requestsTo('/info/prices')).toHaveLength(1);
      const stream = fake.streams[0]!;
      await stream.ended; // the server stopped: the client hung up (a complete body would be 64 MiB)
      // 1 MiB read + whatever the loopback socket buffers held when the client hung up.
      expect([stream.complete, stream.written < 16 * MiB]).toEqual([false, true]);
    });
  }

  it('the default cap is 8 MiB', async () => {
    fake.setFault('huge', { path: '/info/prices', bytes: 64 * MiB, chunked: true });
    const e = await expectVenueError(make().fetchPrices());
    expect(e.message).toBe('pacifica GET /info/prices: unusable response (body over the 8 MiB limit)');
    const stream = fake.streams[0]!;
    await stream.ended;
    expect([stream.complete, stream.written < 32 * MiB]).toEqual([false, true]);
  });
});
