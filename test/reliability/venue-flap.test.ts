import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { FakeClock } from '../../src/core/clock.js';
import { RecordingSink } from '../../src/core/outbox/recording-sink.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startBinanceFake } from '../fakes/venues/binance-fake.js';
import type { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { PacificaFake } from '../fakes/venues/pacifica-fake.js';
import { tempDir } from '../helpers/run-cli.js';
import type { LogLine } from '../discord/bot-fixture.js';

/*
 * Binance (two accounts) flaps: down one tick, up the next, then down two, up two, over loopback fakes;
 * Pacifica (one account) stays up. 15 s ticks on a FakeClock, groupWait 30 s, 2 clear ticks resolve.
 * Expected: the flapping accounts are failed on every down tick and on an up tick only while the
 * venue's circuit breaker is open (never a network error then); Pacifica is never touched; one sync
 * alert per account fires for the whole episode (not one per flap), is posted once and resolves once
 * Binance holds; the breaker closes again after its cool-down; no tick fails or throws.
 */
describe('a venue that flaps', () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 5));
  const sink = new RecordingSink('test');
  const logs: LogLine[] = [];
  let dir: string;
  let pac: PacificaFake;
  let bn: BinanceLikeFake;
  let app: App;

  beforeAll(async () => {
    pac = await PacificaFake.withAccounts(1, () => clock.now());
    bn = await startBinanceFake(2, () => clock.now());
    dir = tempDir('delta-ops-flap-');
    const file = join(dir, 'flap.yaml');
    writeFileSync(
      file,
      [
        'schedule: { tickInterval: 6h }',
        'sync: { concurrency: 4, accountTimeout: 2s }',
        'alerts: { groupWait: 30s, resolveAfterTicks: 2 }',
        'venues:',
        `  pacifica: { baseUrl: "${pac.apiBase}", timeout: 1s }`,
        `  binance: { baseUrl: "${bn.url}", timeout: 1s }`,
        'accounts:',
        `  - { id: pac-0, venue: pacifica, address: "${PacificaFake.address(0)}" }`,
        '  - { id: bn-0, venue: binance, apiKeyEnv: BN0_KEY, apiSecretEnv: BN0_SECRET }',
        '  - { id: bn-1, venue: binance, apiKeyEnv: BN1_KEY, apiSecretEnv: BN1_SECRET }',
      ].join('\n'),
    );
    const cfg = loadConfig({ BN0_KEY: 'key0', BN0_SECRET: 'secret0', BN1_KEY: 'key1', BN1_SECRET: 'secret1', DELTA_OPS_DB: join(dir, 'db.sqlite') }, file);
    const logger = pino({ level: 'debug' }, { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
    app = await createApp(cfg, { clock, logger, store: SqliteStore.open(cfg.store.path), sinkNames: ['test'] });
    await app.start([sink]);
  });
  afterAll(async () => {
    await app?.stop();
    await pac?.stop();
    await bn?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const syncAlerts = async (account: string) => (await app.alerts.list({ type: 'sync', state: 'all' })).filter((a) => a.account === account);
  const syncPosts = (account: string) => sink.postedAlerts().filter((a) => a.type === 'sync' && a.account === account);

  it('marks accounts per tick, pages about the flapping venue at most once per account, and recovers', async () => {
    const pattern = 'DUDUDUDDUUDDUUDDUU';
    const seen: string[] = [];
    for (const step of pattern) {
      bn.clearFaults();
      if (step === 'D') bn.setFault('down');
      clock.advance(15_000);
      await app.engine.tick();
      const accounts = app.engine.snapshot()!.accounts;
      const byId = new Map(accounts.map((a) => [a.id, a]));
      expect(byId.get('pac-0')).toMatchObject({ status: 'ok', lastSuccessAt: clock.now() });
      for (const id of ['bn-0', 'bn-1']) {
        const a = byId.get(id)!;
        if (step === 'D') expect(a.status).toBe('failed');
        // Up, but the breaker may still be cooling down: then the error says so, never a network error.
        else if (a.status === 'failed') expect(a.lastError?.message).toMatch(/circuit open/);
      }
      seen.push(`${step}${byId.get('bn-0')!.status === 'ok' ? '+' : '-'}`);
    }
    // Alternating every tick, the breaker's 30 s cool-down always ends on a down tick: the venue stays
    // failed, which raises one sync alert per account. Two down, two up: the second up tick gets through.
    expect(seen.join(' ')).toBe('D- U- D- U- D- U- D- D- U+ U+ D- D- U+ U+ D- D- U+ U+');
    for (const id of ['bn-0', 'bn-1']) {
      expect(await syncAlerts(id)).toHaveLength(1);
      expect(syncPosts(id)).toHaveLength(1);
    }

    // Stable again: every account is ok within the breaker's cool-down, and the sync alerts resolve.
    bn.clearFaults();
    for (let i = 0; i < 6; i++) {
      clock.advance(15_000);
      await app.engine.tick();
    }
    expect(app.engine.snapshot()!.accounts.map((a) => a.status)).toEqual(['ok', 'ok', 'ok']);
    for (const id of ['bn-0', 'bn-1']) {
      expect((await syncAlerts(id)).map((a) => a.state)).toEqual(['resolved']);
      expect(syncPosts(id)).toHaveLength(1);
    }
    expect((await app.alerts.list({ type: 'sync', state: 'all' })).filter((a) => a.account === 'pac-0')).toEqual([]);
    expect(logs.filter((l) => l.msg === 'tick stage failed' || l.msg === 'tick failed')).toEqual([]);
    expect(await app.store.outbox.counts()).toMatchObject({ pending: 0, dead: 0 });
  });
});
