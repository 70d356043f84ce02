import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/driver.js';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir } from '../helpers/run-cli.js';

/*
 * The scenario (test/fixtures/scenario.yaml), prices fixed: BTC 50,000, ETH 2,000.
 *   acc-1: equity 10,000, available 4,000, BTC +1.0, ETH −5
 *   acc-2: equity 20,000, available 15,000, BTC −0.8
 *   acc-3: equity 5,000, available 500, ETH +4
 * BTC: net = 1.0 − 0.8 = 0.2; hedge = max(1.0, 0.8) = 1.0; deviation = 0.2 / 1.0 = 20 % (tol 5 %, max 25 % → WARN)
 *      netUsd = 0.2 × 50,000 = $10,000
 * ETH: net = −5 + 4 = −1; hedge = max(4, 5) = 5; deviation = 1 / 5 = 20 % (max 10 % → CRITICAL); netUsd = −$2,000
 * Utilization: acc-1 6,000/10,000 = 60 %; acc-2 5,000/20,000 = 25 %; acc-3 4,500/5,000 = 90 %;
 *   portfolio Σused/Σequity = 15,500/35,000 = 44.29 %
 */
const SCENARIO = 'test/fixtures/scenario.yaml';

function once(command: string, db: string): ReturnType<typeof runCli> {
  return runCli(['--config', SCENARIO, '--once', command], { DELTA_OPS_DB: db });
}

describe('the real entry point on a scenario config', () => {
  const db = join(tempDir(), 'e2e.sqlite');

  it('/status shows every account, net delta and deviation per symbol, portfolio utilization and the last sync', async () => {
    const r = await once('/status', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Last sync #1 at \d{4}-\d\d-\d\dT[\d:]+Z \(\d+s ago\): 3 ok, 0 failed/);
    expect(r.stdout).toContain('Portfolio equity $35,000.00 · utilization 44.29% · uPnL $0.00');
    expect(r.stdout).toMatch(/acc-1\s+paper\s+\$10,000\.00\s+\$4,000\.00\s+60\.0%\s+\$0\.00\s+ok/);
    expect(r.stdout).toMatch(/acc-2\s+paper\s+\$20,000\.00\s+\$15,000\.00\s+25\.0%/);
    expect(r.stdout).toMatch(/acc-3\s+paper\s+\$5,000\.00\s+\$500\.00\s+90\.0%/);
    expect(r.stdout).toMatch(/BTC\s+0\.2\s+\$10,000\.00\s+1\s+20\.00%\s+5%\s+WARN/);
    expect(r.stdout).toMatch(/ETH\s+-1\s+-\$2,000\.00\s+5\s+20\.00%\s+5%\s+CRITICAL/);
  });

  it('/delta plan reduces the overweight long first, with lot-rounded amount, slippage price and fee', async () => {
    // Δ = 0 − 0.2 = −0.2 → sell 0.2 on acc-1 (the only long). Price 50,000 × (1 − 0.005) = 49,750;
    // notional 0.2 × 49,750 = $9,950.00; fee 9,950 × 0.0004 = $3.98. Final net 0 → deviation 0.
    const r = await once('/delta plan symbol:BTC', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Net 0.2 → 0 BTC (target 0) · deviation 20.00% → 0.00%');
    expect(r.stdout).toMatch(/acc-1\s+SELL\s+0\.2\s+0\.2 BTC-PERP\s+49,750\s+\$9,950\.00\s+\$3\.98\s+reduce/);
  });

  it('/delta plan over maxDeviation is returned but blocked with 1002', async () => {
    // ETH deviation 20 % > 10 %: blocked. The plan still shows: buy 1 on acc-1 (short −5),
    // price 2,000 × 1.005 = 2,010, notional $2,010.00, fee 2,010 × 0.0005 = $1.01 (1.005 rounded).
    const r = await once('/delta plan symbol:ETH-PERP', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('BLOCKED (error 1002)');
    expect(r.stdout).toMatch(/acc-1\s+BUY\s+1\s+1 ETH-PERP\s+2,010\s+\$2,010\.00\s+\$1\.01\s+reduce/);
  });

  it('/utilization gives actions, adjustments and the transfer', async () => {
    // target 0.75: acc-1 adj = 6,000/0.75 − 10,000 = −2,000 (increase); acc-2 5,000/0.75 − 20,000 = −13,333.33
    // (increase); acc-3 4,500/0.75 − 5,000 = +1,000 (decrease). Largest surplus (acc-2) covers acc-3's 1,000.
    const r = await once('/utilization', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/acc-1\s+\$10,000\.00\s+\$6,000\.00\s+60\.0%\s+-20\.0%\s+increase\s+-\$2,000\.00/);
    expect(r.stdout).toMatch(/acc-2\s+\$20,000\.00\s+\$5,000\.00\s+25\.0%\s+-66\.7%\s+increase\s+-\$13,333\.33/);
    expect(r.stdout).toMatch(/acc-3\s+\$5,000\.00\s+\$4,500\.00\s+90\.0%\s+20\.0%\s+decrease\s+\$1,000\.00/);
    expect(r.stdout).toMatch(/acc-2\s+acc-3\s+\$1,000\.00/);
  });

  it('/funding normalises to 8 h and sums the carry', async () => {
    // BTC 0.0001/8h, book +0.2 → carry −0.2 × 50,000 × 0.0001 = −$1.00
    // ETH 0.00005/1h = 0.0004/8h, book −1 → carry +1 × 2,000 × 0.0004 = +$0.80; net −$0.20
    const r = await once('/funding', db);
    expect(r.stdout).toContain('Net carry -$0.20 per 8 h');
    expect(r.stdout).toMatch(/ETH\s+paper\s+0\.0400%/);
  });

  it('an unknown account answers 1001 and exits non-zero', async () => {
    const r = await once('/risk account:nope', db);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Error 1001');
  });
});

describe('startup with a bad config', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown venue', 'accounts:\n  - { id: a, venue: ftx }\n', /^delta-ops: config accounts\[0\]\.venue: expected one of pacifica, binance, aster, rasa, paper\n$/],
    ['negative threshold', 'accounts:\n  - { id: a, venue: paper, paper: { equity: 1, available: 1 } }\nthresholds:\n  utilization: { warn: -0.1 }\n', /^delta-ops: config thresholds\.utilization\.warn: must be ≥ 0\n$/],
    ['unset secret', 'accounts:\n  - { id: a, venue: binance, apiKeyEnv: BN_KEY_UNSET, apiSecretEnv: BN_SECRET_UNSET }\n', /^delta-ops: config accounts\[0\]\.apiKeyEnv: environment variable BN_KEY_UNSET is not set\n$/],
  ];
  for (const [name, yaml, expected] of cases) {
    it(`${name}: exit 1 with one line naming the field`, async () => {
      const dir = tempDir();
      const file = join(dir, 'bad.yaml');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, yaml);
      const r = await runCli(['--config', file, '--once', '/status'], { DELTA_OPS_DB: join(dir, 'x.sqlite') });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(expected);
      expect(r.stdout).toBe('');
    });
  }
});

describe('lifecycle', () => {
  it('SIGTERM stops the console process with the database closed; history survives a restart', async () => {
    const db = join(tempDir(), 'life.sqlite');
    const count = (): number => {
      const d = openSqlite(db, { readonly: true });
      try {
        return (d.prepare('SELECT COUNT(*) AS n FROM metrics_raw').get() as { n: number }).n;
      } finally {
        d.close();
      }
    };
    const first = startCli(['--config', SCENARIO], { DELTA_OPS_DB: db, LOG_LEVEL: 'info' });
    await first.waitFor(/delta-ops> /);
    await first.waitFor(/"seq":2/);
    const exited = new Promise<number | null>((done) => first.child.on('exit', (code) => done(code)));
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(first.output()).toContain('database closed; delta-ops stopped');
    // A clean close checkpoints the WAL and removes it.
    expect(existsSync(`${db}-wal`)).toBe(false);
    const afterFirst = count();
    expect(afterFirst).toBeGreaterThan(0);

    const second = await runCli(['--config', SCENARIO, '--once', '/status'], { DELTA_OPS_DB: db });
    expect(second.code).toBe(0);
    expect(count()).toBeGreaterThan(afterFirst);
  });
});
