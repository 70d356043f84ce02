import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { parseDuration } from '../../src/config/duration.js';
import { tempDir } from '../helpers/run-cli.js';

function withFile(yaml: string): string {
  const file = join(tempDir(), 'c.yaml');
  writeFileSync(file, yaml);
  return file;
}

const PAPER = 'accounts:\n  - { id: a, venue: paper, paper: { equity: 100, available: 50 } }\n';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads the shipped example with defaults filled in', () => {
    const cfg = loadConfig({}, 'config/delta-ops.example.yaml');
    expect(cfg.accounts.map((a) => a.id)).toEqual(['desk-a', 'desk-b', 'desk-c']);
    expect(cfg.schedule.tickInterval).toBe(15_000);
    expect(cfg.alerts).toEqual({ groupWait: 30_000, repeatInterval: 14_400_000, resolveAfterTicks: 2, escalation: [], routes: [], notify: {}, maintenance: [] });
    expect(cfg.thresholds.sync.criticalStale).toBe(600_000);
    expect(cfg.secrets).toEqual([]);
  });

  it('fills every default from a minimal file', () => {
    const cfg = loadConfig({}, withFile(PAPER));
    expect(cfg.store.path).toBe('data/delta-ops.sqlite');
    expect(cfg.thresholds.utilization).toEqual({ warn: 0.85, critical: 0.95 });
    expect(cfg.utilization).toEqual({ target: 0.75, tolerance: 0.1 });
    expect(cfg.accounts[0]?.label).toBe('a');
  });

  it('resolves secrets from the environment by name and records them for redaction', () => {
    const yaml = 'accounts:\n  - { id: b, venue: binance, apiKeyEnv: BN_K, apiSecretEnv: BN_S }\n';
    const cfg = loadConfig({ BN_K: 'key-123456', BN_S: 'secret-abcdef', DISCORD_TOKEN: 'tok-xyz-123' }, withFile(yaml));
    expect(cfg.accounts[0]?.apiKey).toBe('key-123456');
    expect(cfg.secrets).toEqual(['key-123456', 'secret-abcdef', 'tok-xyz-123']);
  });

  it.each([
    ['unknown venue', 'accounts:\n  - { id: a, venue: ftx }\n', 'config accounts[0].venue: expected one of pacifica, binance, aster, rasa, paper'],
    ['negative threshold', `${PAPER}thresholds: { liquidation: { critical: -1 } }\n`, 'config thresholds.liquidation.critical: must be ≥ 0'],
    ['a typo in a key', `${PAPER}thresholdz: {}\n`, 'config (root): unknown key thresholdz'],
    ['a bad duration', `${PAPER}schedule: { tickInterval: soon }\n`, 'config schedule.tickInterval: expected a duration such as 15s, 30m or 4h, got "soon"'],
    ['duplicate ids', 'accounts:\n  - { id: a, venue: paper, paper: { equity: 1, available: 1 } }\n  - { id: a, venue: paper, paper: { equity: 1, available: 1 } }\n', 'config accounts[1].id: duplicate account id "a"'],
    ['pacifica without address', 'accounts:\n  - { id: p, venue: pacifica }\n', 'config accounts[0].address: required for a pacifica account'],
    ['no accounts', 'accounts: []\n', 'config accounts: at least one account is required'],
    ['a missing accounts list', 'timezone: UTC\n', 'config accounts: expected array, but it is missing'],
  ])('%s → one line naming the field', (_name, yaml, message) => {
    expect(errorOf(() => loadConfig({}, withFile(yaml)))).toBe(message);
  });

  it('an unset secret variable names the field and the variable', () => {
    const yaml = 'accounts:\n  - { id: b, venue: binance, apiKeyEnv: BN_K, apiSecretEnv: BN_S }\n';
    expect(errorOf(() => loadConfig({ BN_K: 'x' }, withFile(yaml)))).toBe('config accounts[0].apiSecretEnv: environment variable BN_S is not set');
  });

  it('a bad environment variable names it', () => {
    expect(errorOf(() => loadConfig({ ADMIN_ROLE_IDS: '123456789012345678,abc' }, withFile(PAPER)))).toBe('env ADMIN_ROLE_IDS[1]: must be a Discord id (17-20 digits)');
  });

  it('an unreadable or invalid file says so in one line', () => {
    expect(errorOf(() => loadConfig({}, '/nonexistent/x.yaml'))).toBe('config file /nonexistent/x.yaml: cannot read it (ENOENT)');
    expect(errorOf(() => loadConfig({}, withFile('a: [1, 2')))).toMatch(/^config file .*: not valid YAML \(/);
  });

  it('parses durations', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('15')).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });
});
