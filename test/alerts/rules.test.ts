import { describe, expect, test } from 'vitest';
import { evaluateRules, fingerprint, type Condition } from '../../src/core/alerts/rules/index.js';
import { computeRisk } from '../../src/core/risk/compute-risk.js';
import { emptyRiskHistory } from '../../src/core/risk/ports.js';
import { resolveMaxPositionSize, resolveThresholds } from '../../src/core/thresholds/resolve.js';
import { delta, metrics, riskOf, ruleConfig, snapshotOf, T0, type AccountSpec } from './fixtures.js';

const now = T0;
const ok: AccountSpec[] = [{ id: 'acc-1' }, { id: 'acc-2' }, { id: 'acc-3' }];
const quietRisk = riskOf(now, ok.map((a) => metrics(a.id)));

function only(conditions: Condition[], type: Condition['type']): Condition[] {
  return conditions.filter((c) => c.type === type);
}

describe('thresholds', () => {
  const rules = ruleConfig({
    overrides: [
      { account: 'acc-2', utilization: { warn: 0.7 } },
      { symbol: 'BTC', liquidation: { warn: 0.2 } },
      { account: 'acc-2', symbol: 'BTC', liquidation: { warn: 0.3 }, maxPositionSize: 5 },
      { account: 'acc-3', maxPositionSize: 9 },
    ],
  });

  test('global < account-wide < symbol-wide < account+symbol, whatever the order in the file', () => {
    expect(resolveThresholds(rules, 'acc-1')).toEqual({ utilization: { warn: 0.85, critical: 0.95 }, liquidation: { warn: 0.1, critical: 0.05 }, drawdown: { critical: 0.05 } });
    expect(resolveThresholds(rules, 'acc-2').utilization).toEqual({ warn: 0.7, critical: 0.95 });
    expect(resolveThresholds(rules, 'acc-1', 'BTC').liquidation.warn).toBe(0.2);
    expect(resolveThresholds(rules, 'acc-2', 'BTC').liquidation.warn).toBe(0.3);
    expect(resolveThresholds(rules, 'acc-2', 'ETH').liquidation.warn).toBe(0.1);
  });

  test('maxPositionSize: account+symbol override, then account, then symbols config', () => {
    expect(resolveMaxPositionSize(rules, 'acc-2', 'BTC')).toBe(5);
    expect(resolveMaxPositionSize(rules, 'acc-3', 'BTC')).toBe(9);
    expect(resolveMaxPositionSize(rules, 'acc-1', 'BTC')).toBe(2);
    expect(resolveMaxPositionSize(rules, 'acc-1', 'ETH')).toBeUndefined();
  });

  test('a symbol-wide override outranks an account-wide one, for thresholds and for maxPositionSize', () => {
    const both = ruleConfig({
      overrides: [
        { symbol: 'BTC', liquidation: { warn: 0.2 }, maxPositionSize: 4 },
        { account: 'acc-1', liquidation: { warn: 0.15 }, maxPositionSize: 3 },
      ],
    });
    // acc-1 BTC: 0.1 (global) → 0.15 (account-wide) → 0.2 (symbol-wide wins, though earlier in the file).
    expect(resolveThresholds(both, 'acc-1', 'BTC').liquidation).toEqual({ warn: 0.2, critical: 0.05 });
    // Without a symbol (account-wide metrics) the symbol-wide override does not apply: 0.15.
    expect(resolveThresholds(both, 'acc-1').liquidation).toEqual({ warn: 0.15, critical: 0.05 });
    // maxPositionSize: symbols.BTC 2 → account-wide 3 → symbol-wide 4; ETH has only the account-wide 3.
    expect(resolveMaxPositionSize(both, 'acc-1', 'BTC')).toBe(4);
    expect(resolveMaxPositionSize(both, 'acc-1', 'ETH')).toBe(3);
  });

  test('the risk level and the liquidation alert read one resolver: a symbol-scoped override counts in both', () => {
    // acc-1 holds BTC at mark 60,000 with liquidation at 51,000: distance |60,000 − 51,000| / 60,000 = 0.15.
    // Global WARN 0.10: 0.15 is safe. The BTC override raises WARN to 0.20: 0.15 < 0.20 → WARN / medium.
    const cfg = ruleConfig({ overrides: [{ symbol: 'BTC', liquidation: { warn: 0.2 } }] });
    const snapshot = snapshotOf(now, [{ id: 'acc-1', positions: [{ size: 1, liquidationPrice: 51_000 }] }]);
    const risk = computeRisk(snapshot, emptyRiskHistory, cfg, now);
    expect(risk.accounts.map((a) => [a.account, a.liquidationDistance, a.riskLevel])).toEqual([['acc-1', 0.15, 'medium']]);
    const c = only(evaluateRules({ snapshot, risk, now, config: cfg }), 'liquidation');
    expect(c.map((x) => [fingerprint(x), x.severity, x.value, x.threshold])).toEqual([['liquidation|acc-1|BTC', 'WARN', 0.15, 0.2]]);
  });

  test('an account override changes when its utilization alert fires', () => {
    const risk = riskOf(now, [metrics('acc-1', { utilization: 0.75 }), metrics('acc-2', { utilization: 0.75 })]);
    const c = only(evaluateRules({ snapshot: snapshotOf(now, ok), risk, now, config: rules }), 'utilization');
    expect(c).toEqual([{ type: 'utilization', account: 'acc-2', severity: 'WARN', value: 0.75, threshold: 0.7, summary: 'utilization 75.0% > 70.0%', sources: ['acc-2'] }]);
  });
});

describe('rules (design.md §3 table)', () => {
  const config = ruleConfig();

  test('nothing holds on a quiet book', () => {
    expect(evaluateRules({ snapshot: snapshotOf(now, ok), risk: quietRisk, now, config })).toEqual([]);
  });

  test('delta: WARN over tolerance, CRITICAL over maxDeviation, equal is not over', () => {
    const risk = riskOf(now, quietRisk.accounts, [delta('BTC', 0.05), delta('ETH', 0.06), delta('SOL', 0.11)]);
    const c = evaluateRules({ snapshot: snapshotOf(now, ok), risk, now, config });
    expect(c.map((x) => [fingerprint(x), x.severity, x.threshold])).toEqual([
      ['delta||ETH', 'WARN', 0.05],
      ['delta||SOL', 'CRITICAL', 0.1],
    ]);
    expect(c[0]?.sources).toEqual(['acc-1', 'acc-2']);
  });

  test('utilization 0.86 WARN, 0.96 CRITICAL; drawdown over 5 % CRITICAL', () => {
    const risk = riskOf(now, [metrics('acc-1', { utilization: 0.86 }), metrics('acc-2', { utilization: 0.96 }), metrics('acc-3', { maxDrawdown: 0.06 })]);
    const c = evaluateRules({ snapshot: snapshotOf(now, ok), risk, now, config });
    expect(c.map((x) => `${fingerprint(x)} ${x.severity}`)).toEqual(['utilization|acc-1| WARN', 'utilization|acc-2| CRITICAL', 'drawdown|acc-3| CRITICAL']);
    expect(c[2]?.summary).toBe('drawdown 6.0% > stop-loss 5.0%');
  });

  test('liquidation per position (distance < 10 % WARN, < 5 % CRITICAL) and position-limit', () => {
    const snapshot = snapshotOf(now, [
      { id: 'acc-1', positions: [{ size: 1, liquidationPrice: 55_000 }] }, // 8.3 %
      { id: 'acc-2', positions: [{ size: -2.5, liquidationPrice: 62_400 }] }, // 4.0 %, |size| 2.5 > 2
      { id: 'acc-3', positions: [{ size: 1 }] },
    ]);
    const c = evaluateRules({ snapshot, risk: quietRisk, now, config });
    expect(c.map((x) => `${fingerprint(x)} ${x.severity} ${x.value.toFixed(4)}`)).toEqual([
      'liquidation|acc-1|BTC WARN 0.0833',
      'liquidation|acc-2|BTC CRITICAL 0.0400',
      'position-limit|acc-2|BTC CRITICAL 2.5000',
    ]);
    expect(c[2]?.summary).toBe('BTC position 2.5 > max 2');
  });

  test('sync: 3 failures or older than 3 ticks WARN; older than 10 min CRITICAL', () => {
    const snapshot = snapshotOf(now, [
      { id: 'acc-1', status: 'failed', failures: 3, lastSuccessAt: now - 30_000 },
      { id: 'acc-2', status: 'failed', failures: 1, lastSuccessAt: now - 46_000 },
      { id: 'acc-3', status: 'failed', failures: 40, lastSuccessAt: now - 601_000 },
    ]);
    const c = evaluateRules({ snapshot, risk: quietRisk, now, config });
    expect(c.map((x) => `${fingerprint(x)} ${x.severity}`)).toEqual(['sync|acc-1| WARN', 'sync|acc-2| WARN', 'sync|acc-3| CRITICAL']);
    expect(c[0]?.summary).toBe('last good sync 30s ago, 3 failures in a row: venue timeout');
    expect(c.every((x) => x.sources.length === 0)).toBe(true);
  });

  test('sync: 2 failures within 3 ticks is not an alert yet', () => {
    const snapshot = snapshotOf(now, [{ id: 'acc-1', status: 'failed', failures: 2, lastSuccessAt: now - 30_000 }]);
    expect(evaluateRules({ snapshot, risk: quietRisk, now, config })).toEqual([]);
  });

  test('failover: WARN on a backup feed, CRITICAL when every feed fails', () => {
    const feeds = [
      { symbol: 'BTC', primary: 'binance', active: 'pacifica', feeds: [{ name: 'binance', ok: false }, { name: 'pacifica', ok: true }] },
      { symbol: 'ETH', primary: 'binance', feeds: [{ name: 'binance', ok: false }, { name: 'pacifica', ok: false }] },
      { symbol: 'SOL', primary: 'binance', active: 'binance', feeds: [{ name: 'binance', ok: true }] },
    ];
    const c = evaluateRules({ snapshot: snapshotOf(now, ok), risk: quietRisk, now, config, feeds });
    expect(c.map((x) => `${fingerprint(x)} ${x.severity} ${x.summary}`)).toEqual([
      'failover||BTC WARN BTC: failed over from binance to pacifica',
      'failover||ETH CRITICAL ETH: every price feed failing (2)',
    ]);
  });

  test('hedger-capacity over 90 % and venue notices fold into one WARN per account', () => {
    const snapshot = snapshotOf(now, [{ id: 'acc-1', hedger: { used: 95, cap: 100 }, notices: ['position state: open failed'] }, { id: 'acc-2', hedger: { used: 50, cap: 100 } }]);
    const c = evaluateRules({ snapshot, risk: quietRisk, now, config });
    expect(c).toEqual([
      { type: 'hedger-capacity', account: 'acc-1', severity: 'WARN', value: 0.95, threshold: 0.9, summary: 'hedger capacity 95.0% used (> 90.0%); 1 notice: position state: open failed', sources: ['acc-1'] },
    ]);
  });

  test('funding above 0.1 %/8h on a held symbol, normalized from the venue interval', () => {
    const snapshot = snapshotOf(now, [{ id: 'acc-1', positions: [{ size: 1 }] }, { id: 'acc-2', positions: [{ size: -1 }] }, { id: 'acc-3' }]);
    snapshot.funding = { paper: [{ symbol: 'BTC', venueSymbol: 'BTC-PERP', rate: 0.0006, intervalHours: 4 }] }; // 0.12 %/8h
    const c = only(evaluateRules({ snapshot, risk: quietRisk, now, config }), 'funding');
    expect(c.map((x) => `${fingerprint(x)} ${x.summary}`)).toEqual([
      'funding|acc-1|BTC BTC funding 0.120%/8h (longs pay, this position pays)',
      'funding|acc-2|BTC BTC funding 0.120%/8h (longs pay, this position receives)',
    ]);
    expect(c[0]?.value).toBeCloseTo(0.0012, 10);
  });

  test('pure: the same input gives the same output', () => {
    const input = { snapshot: snapshotOf(now, ok), risk: riskOf(now, [metrics('acc-1', { utilization: 0.99 })], [delta('BTC', 0.2)]), now, config };
    expect(evaluateRules(input)).toEqual(evaluateRules(input));
  });
});
