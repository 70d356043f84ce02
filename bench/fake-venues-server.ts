/**
 * The benchmark's venues, in their own process so their work does not share the event loop being
 * measured (a real venue is on another machine): a Binance USDⓈ-M fake with `--binance` accounts
 * (`key<i>` / `secret<i>`) and a Pacifica fake with `--pacifica` accounts, each answering after
 * `--latency` ms. Prints one `READY {json}` line with the base URLs; exits when stdin closes.
 */
import { parseArgs } from 'node:util';
import { startBinanceFake } from '../test/fakes/venues/binance-fake.js';
import { PacificaFake } from '../test/fakes/venues/pacifica-fake.js';

const { values } = parseArgs({ options: { binance: { type: 'string', default: '100' }, pacifica: { type: 'string', default: '100' }, latency: { type: 'string', default: '20' } } });
const latency = Number(values.latency);
const bn = await startBinanceFake(Number(values.binance));
const pac = await PacificaFake.withAccounts(Number(values.pacifica));
for (const f of [bn, pac]) {
  f.latencyMs = latency;
  // The request log is for tests; a benchmark only pays for it.
  f.logLimit = 0;
}
process.stdout.write(`READY ${JSON.stringify({ binance: bn.url, pacifica: pac.apiBase })}\n`);
const stop = async (): Promise<void> => {
  await Promise.allSettled([bn.stop(), pac.stop()]);
  process.exit(0);
};
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());
