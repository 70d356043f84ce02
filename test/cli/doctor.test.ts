import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretScrubber } from '../../src/app/logger.js';
import { runDoctor } from '../../src/cli/doctor.js';
import { renderDoctor } from '../../src/cli/doctor-report.js';
import { loadConfig, type AppConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/core/clock.js';
import type { VenueAdapter } from '../../src/core/ports/venue-adapter.js';
import { createAdapters } from '../../src/venues/registry.js';
import { startBinanceFake } from '../fakes/venues/binance-fake.js';
import type { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { closedPort } from '../fakes/venues/fake-http-server.js';
import { PacificaFake } from '../fakes/venues/pacifica-fake.js';
import { runCli, tempDir } from '../helpers/run-cli.js';

/** Keys as the fakes know them; the doctor must never print any of them. */
const ENV = {
  TRADER_KEY: 'trader-key-AAAA1111', TRADER_SECRET: 'trader-secret-BBBB2222',
  READER_KEY: 'reader-key-CCCC3333', READER_SECRET: 'reader-secret-DDDD4444',
  WRONG_KEY: 'reader-key-CCCC3333', WRONG_SECRET: 'not-the-secret-EEEE5555',
  ASTER_KEY: 'aster-key-FFFF6666', ASTER_SECRET: 'aster-secret-GGGG7777',
};

describe('doctor', () => {
  let bn: BinanceLikeFake;
  let pac: PacificaFake;
  let dir: string;
  let file: string;
  let config: AppConfig;

  beforeAll(async () => {
    bn = await startBinanceFake(0);
    bn.addAccount(ENV.TRADER_KEY, ENV.TRADER_SECRET, { canTrade: true, canWithdraw: true });
    bn.addAccount(ENV.READER_KEY, ENV.READER_SECRET, { canTrade: false, canWithdraw: false });
    pac = await PacificaFake.withAccounts(1);
    const dead = await closedPort();
    dir = tempDir();
    file = join(dir, 'doctor.yaml');
    writeFileSync(
      file,
      [
        'sync: { concurrency: 4, accountTimeout: 3s }',
        'venues:',
        `  binance: { baseUrl: "${bn.url}", timeout: 1s }`,
        `  pacifica: { baseUrl: "${pac.apiBase}", timeout: 1s }`,
        `  aster: { baseUrl: "http://127.0.0.1:${dead}", timeout: 500ms }`,
        'accounts:',
        '  - { id: bn-trader, venue: binance, apiKeyEnv: TRADER_KEY, apiSecretEnv: TRADER_SECRET }',
        '  - { id: bn-reader, venue: binance, apiKeyEnv: READER_KEY, apiSecretEnv: READER_SECRET }',
        '  - { id: bn-wrong, venue: binance, apiKeyEnv: WRONG_KEY, apiSecretEnv: WRONG_SECRET }',
        `  - { id: pac-main, venue: pacifica, address: "${PacificaFake.address(0)}" }`,
        '  - { id: aster-gone, venue: aster, apiKeyEnv: ASTER_KEY, apiSecretEnv: ASTER_SECRET }',
      ].join('\n'),
    );
    config = loadConfig({ ...ENV, DELTA_OPS_DB: join(dir, 'db.sqlite') }, file);
  });

  afterAll(async () => {
    await Promise.all([bn.stop(), pac.stop()]);
  });

  it('reports reachability, credentials and key permissions per account, and what needs attention', async () => {
    const adapters = await createAdapters(config, systemClock);
    const report = await runDoctor({ config, adapters, now: () => systemClock.now() }).finally(() => Promise.all([...adapters.values()].map((a) => a.close())));
    const by = new Map(report.accounts.map((a) => [a.id, a]));
    expect(report.ok).toBe(false);
    expect(report.venues.map((v) => [v.venue, v.reachable])).toEqual([['binance', true], ['pacifica', true], ['aster', false]]);

    // Binance reports account-level flags only: a person must confirm the key itself is read-only.
    expect(by.get('bn-trader')).toMatchObject({ reachable: true, credentials: 'valid', permissionScope: 'account', permissions: { canRead: true, canTrade: true, canWithdraw: true }, warnings: [] });
    expect(by.get('bn-trader')?.cautions).toEqual([
      'bn-trader (binance): the account can TRADE and WITHDRAW and binance does not say what this key may do; confirm in its API management that the key has read permission only.',
    ]);
    expect(by.get('bn-reader')).toMatchObject({ reachable: true, credentials: 'valid', permissions: { canRead: true, canTrade: false, canWithdraw: false }, warnings: [] });
    expect(by.get('bn-reader')?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(by.get('bn-wrong')).toMatchObject({ reachable: true, credentials: 'rejected' });
    expect(by.get('bn-wrong')?.warnings[0]).toContain('bn-wrong (binance) cannot be read: binance: signature rejected; check the API secret (code -1022)');
    expect(by.get('pac-main')).toMatchObject({ reachable: true, credentials: 'not needed', note: 'public read by address; the venue exposes no key permissions', warnings: [] });
    expect(by.get('pac-main')?.permissions).toBeUndefined();
    expect(by.get('aster-gone')).toMatchObject({ reachable: false, credentials: 'unknown' });
    expect(by.get('aster-gone')?.warnings[0]).toBe('aster-gone (aster) is UNREACHABLE: aster GET /fapi/v1/exchangeInfo: connection failed (ECONNREFUSED)');

    const text = renderDoctor(report, { configPath: file, scrub: secretScrubber(config.secrets) });
    expect(text).toMatch(/bn-trader\s+binance\s+yes\s+\d+ ms\s+valid\s+yes\s+yes \(account\)\s+yes \(account\)\s+signed read works/);
    expect(text).toMatch(/bn-reader\s+binance\s+yes\s+\d+ ms\s+valid\s+yes\s+no \(account\)\s+no \(account\)/);
    expect(text).toMatch(/pac-main\s+pacifica\s+yes\s+\d+ ms\s+not needed\s+—\s+—\s+—\s+public read by address/);
    expect(text).toMatch(/aster-gone\s+aster\s+NO\s+—\s+unknown/);
    expect(text.split('\n').filter((l) => l.startsWith('!!! WARNING: '))).toHaveLength(2);
    expect(text.split('\n').filter((l) => l.startsWith('!!! CHECK: '))).toHaveLength(1);
    expect(text).toContain('doctor: 2 problems — fix the WARNING lines above; 1 key to check by hand (CHECK lines).');
  });

  it('runs as `delta-ops doctor`: exit 1, loud warnings on stdout, no secret anywhere', async () => {
    const r = await runCli(['--config', file, 'doctor'], { ...ENV, DELTA_OPS_DB: join(dir, 'cli.sqlite') });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('delta-ops doctor — 5 accounts');
    expect(r.stdout).toContain('!!! CHECK: bn-trader (binance): the account can TRADE and WITHDRAW');
    expect(r.stdout).toContain('!!! WARNING: bn-wrong (binance) cannot be read');
    expect(r.stdout).toContain('!!! WARNING: aster-gone (aster) is UNREACHABLE');
    for (const secret of Object.values(ENV)) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  }, 30_000);

  it('exits 0 when every account is reachable and read-only', async () => {
    const ok = join(dir, 'ok.yaml');
    writeFileSync(ok, [`venues: { binance: { baseUrl: "${bn.url}" } }`, 'accounts:', '  - { id: bn-reader, venue: binance, apiKeyEnv: READER_KEY, apiSecretEnv: READER_SECRET }'].join('\n'));
    const r = await runCli(['--config', ok, 'doctor'], { READER_KEY: ENV.READER_KEY, READER_SECRET: ENV.READER_SECRET, DELTA_OPS_DB: join(dir, 'ok.sqlite') });
    expect(r.stdout).toContain('doctor: OK');
    expect(r.code).toBe(0);
  }, 30_000);

  it('fails on a key the venue says can trade', async () => {
    const paperFile = join(dir, 'paper.yaml');
    writeFileSync(paperFile, ['venues: { paper: { markets: { BTC: { price: 100 } } } }', 'accounts:', '  - { id: desk, venue: paper, paper: { equity: 10, available: 5 } }'].join('\n'));
    const cfg = loadConfig({ DELTA_OPS_DB: join(dir, 'paper.sqlite') }, paperFile);
    const paper = (await createAdapters(cfg, systemClock)).get('paper')!;
    // The paper venue's own key check, with trading switched on: a key-level answer.
    const tradingKey: VenueAdapter = Object.assign(Object.create(paper) as VenueAdapter, {
      checkKey: async () => ({ canRead: true, canTrade: true, canWithdraw: false, detail: 'simulated trading key' }),
    });
    const report = await runDoctor({ config: cfg, adapters: new Map([['paper', tradingKey]]), now: () => systemClock.now() });
    expect(report.ok).toBe(false);
    expect(report.accounts[0]).toMatchObject({ permissionScope: 'key', cautions: [], warnings: ['desk (paper): the API key can TRADE. delta-ops only reads: replace it with a read-only key.'] });
    expect(renderDoctor(report, { configPath: paperFile, scrub: (t) => t })).toMatch(/desk\s+paper\s+yes\s+\d+ ms\s+not needed\s+yes\s+YES\s+no\s+simulated trading key/);
  });
});
