import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { FakeClock } from '../../src/core/clock.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startBinanceFake } from '../fakes/venues/binance-fake.js';
import type { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { PacificaFake } from '../fakes/venues/pacifica-fake.js';
import { tempDir } from '../helpers/run-cli.js';

/*
 * Two venues over loopback fakes: Pacifica (2 accounts) and Binance (2 accounts). Binance goes down:
 * its accounts fail and raise `sync` alerts; Pacifica's accounts stay fresh and raise none. When Binance
 * comes back, its sync alerts resolve after the configured clear ticks.
 */
describe('one venue down', () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 5));
  let pac: PacificaFake;
  let bn: BinanceLikeFake;
  let app: App;

  beforeAll(async () => {
    pac = await PacificaFake.withAccounts(2, () => clock.now());
    bn = await startBinanceFake(2, () => clock.now());
    const dir = tempDir();
    const file = join(dir, 'two-venues.yaml');
    writeFileSync(
      file,
      [
        'schedule: { tickInterval: 15s }',
        'sync: { concurrency: 4, accountTimeout: 2s }',
        'alerts: { groupWait: 30s, resolveAfterTicks: 2 }',
        'venues:',
        `  pacifica: { baseUrl: "${pac.apiBase}", timeout: 1s }`,
        `  binance: { baseUrl: "${bn.url}", timeout: 1s }`,
        'accounts:',
        `  - { id: pac-0, venue: pacifica, address: "${PacificaFake.address(0)}" }`,
        `  - { id: pac-1, venue: pacifica, address: "${PacificaFake.address(1)}" }`,
        '  - { id: bn-0, venue: binance, apiKeyEnv: BN0_KEY, apiSecretEnv: BN0_SECRET }',
        '  - { id: bn-1, venue: binance, apiKeyEnv: BN1_KEY, apiSecretEnv: BN1_SECRET }',
      ].join('\n'),
    );
    const cfg = loadConfig({ BN0_KEY: 'key0', BN0_SECRET: 'secret0', BN1_KEY: 'key1', BN1_SECRET: 'secret1', DELTA_OPS_DB: join(dir, 'db.sqlite') }, file);
    app = await createApp(cfg, { clock, logger: pino({ level: 'silent' }), store: SqliteStore.open(cfg.store.path), sinkNames: ['test'] });
  });

  afterAll(async () => {
    await app.stop();
    await pac.stop();
    await bn.stop();
  });

  const tick = async (): Promise<void> => {
    clock.advance(15_000);
    await app.engine.tick();
  };
  const syncAlerts = async (): Promise<{ account?: string; state: string }[]> =>
    (await app.alerts.list({ type: 'sync', state: 'all' })).map((a) => ({ ...(a.account ? { account: a.account } : {}), state: a.state }));

  it('keeps the other venue fresh and fires sync alerts for the down venue only, then resolves them', async () => {
    await tick();
    expect(app.engine.snapshot()?.accounts.map((a) => a.status)).toEqual(['ok', 'ok', 'ok', 'ok']);

    bn.setFault('down');
    for (let i = 0; i < 5; i++) await tick();
    const snap = app.engine.snapshot()!;
    const byId = new Map(snap.accounts.map((a) => [a.id, a]));
    expect(byId.get('pac-0')).toMatchObject({ status: 'ok', lastSuccessAt: clock.now() });
    expect(byId.get('pac-1')).toMatchObject({ status: 'ok', lastSuccessAt: clock.now() });
    expect(byId.get('bn-0')).toMatchObject({ status: 'failed', consecutiveFailures: 5 });
    expect(byId.get('bn-1')?.lastError?.code).toBe(2002);
    // 3 failed syncs → WARN pending; 30 s later (2 more ticks) it fires.
    const firing = (await syncAlerts()).filter((a) => a.state === 'firing');
    expect(firing.map((a) => a.account).sort()).toEqual(['bn-0', 'bn-1']);
    expect((await syncAlerts()).some((a) => a.account?.startsWith('pac-'))).toBe(false);

    bn.clearFaults();
    // The circuit breaker may still be open for its cool-down; keep ticking until the venue answers.
    for (let i = 0; i < 6 && app.engine.snapshot()?.accounts.some((a) => a.status !== 'ok'); i++) await tick();
    expect(app.engine.snapshot()?.accounts.map((a) => a.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    await tick();
    await tick();
    expect((await syncAlerts()).map((a) => a.state)).toEqual(['resolved', 'resolved']);
  });
});
