import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { runBounded } from '../src/core/sync/run-bounded.js';
import { PacificaFake } from '../test/fakes/venues/pacifica-fake.js';
import type { Benchmark } from './framework.js';
import type { FakeVenues } from './fake-venues.js';

export const FLOOR_DESCRIPTION =
  '**floor-N-cC**: the same requests as sync-N-cC (the venue-wide round, then per account the same two routes: Binance signed ' +
  '`/fapi/v3/account` + `/fapi/v3/positionRisk`, Pacifica `/account` + `/positions`), C accounts at a time, sent with bare undici pools ' +
  'and `JSON.parse`, and nothing else: no adapter, retries, rate limiter, breaker, zod or mapping. It is what the machine, the loopback ' +
  'and the fakes cost by themselves; the gap between a sync row and the floor row of the same C is what delta-ops\' own code adds.';

/** The transport floor: the sync's requests without any delta-ops code in the path. */
export function floorBenchmark(opts: { accounts: number; concurrency: number; latencyMs: number; fakes: FakeVenues }): Benchmark {
  return {
    name: `floor-${opts.accounts}-c${opts.concurrency}`,
    description: FLOOR_DESCRIPTION,
    async setup() {
      const pacBase = new URL(opts.fakes.pacifica);
      const bn = new Pool(opts.fakes.binance, { connections: 3 * opts.concurrency });
      const pac = new Pool(pacBase.origin, { connections: 3 * opts.concurrency });
      const get = async (pool: Pool, path: string, headers?: Record<string, string>): Promise<unknown> => {
        const res = await pool.request({ path, method: 'GET', ...(headers ? { headers } : {}) });
        const body = JSON.parse(await res.body.text()) as unknown;
        if (res.statusCode !== 200) throw new Error(`floor: ${path} answered ${res.statusCode}`);
        return body;
      };
      const signed = (path: string, n: number): Promise<unknown> => {
        const query = `recvWindow=5000&timestamp=${Date.now()}`;
        const sig = createHmac('sha256', `secret${n}`).update(query).digest('hex');
        return get(bn, `${path}?${query}&signature=${sig}`, { 'X-MBX-APIKEY': `key${n}` });
      };
      const account = (i: number): Promise<unknown[]> => {
        const n = Math.floor(i / 2);
        if (i % 2 === 0) return Promise.all([signed('/fapi/v3/account', n), signed('/fapi/v3/positionRisk', n)]);
        const q = `account=${encodeURIComponent(PacificaFake.address(n))}`;
        return Promise.all([get(pac, `${pacBase.pathname}/account?${q}`), get(pac, `${pacBase.pathname}/positions?${q}`)]);
      };
      const items = Array.from({ length: opts.accounts }, (_, i) => i);
      const idealMs = opts.latencyMs + Math.ceil(opts.accounts / opts.concurrency) * opts.latencyMs;
      return {
        run: async () => {
          const t0 = performance.now();
          await Promise.all([get(bn, '/fapi/v1/premiumIndex'), get(pac, `${pacBase.pathname}/info/prices`)]);
          const results = await runBounded(items, opts.concurrency, account);
          const failed = results.find((r) => !r.ok);
          if (failed && !failed.ok) throw failed.error;
          return { ms: performance.now() - t0, idealMs };
        },
        teardown: async () => {
          await Promise.allSettled([bn.close(), pac.close()]);
        },
      };
    },
  };
}
