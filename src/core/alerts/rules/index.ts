import type { AlertType, Severity } from '../../ports/alerts.js';
import { accountRules } from './account-rules.js';
import { deltaRule } from './delta-rule.js';
import { failoverRule, hedgerRule } from './feed-rules.js';
import { fundingRule, positionRules } from './position-rules.js';
import { syncRule } from './sync-rule.js';
import type { Condition, Rule, RuleInput } from './types.js';

export type { Condition, FeedHealth, Rule, RuleConfig, RuleInput } from './types.js';

const RULES: readonly Rule[] = [syncRule, deltaRule, accountRules, positionRules, fundingRule, hedgerRule, failoverRule];

export const SEVERITY_RANK: Record<Severity, number> = { INFO: 0, WARN: 1, CRITICAL: 2 };

export function fingerprint(c: { type: AlertType; account?: string; symbol?: string }): string {
  return `${c.type}|${c.account ?? ''}|${c.symbol ?? ''}`;
}

/**
 * Every condition that holds now (design.md §3). Pure: same input, same output. A rule that
 * produced two conditions with one fingerprint keeps the more severe.
 */
export function evaluateRules(input: RuleInput): Condition[] {
  const byFingerprint = new Map<string, Condition>();
  for (const rule of RULES) {
    for (const c of rule(input)) {
      const key = fingerprint(c);
      const prev = byFingerprint.get(key);
      if (!prev || SEVERITY_RANK[c.severity] > SEVERITY_RANK[prev.severity]) byFingerprint.set(key, c);
    }
  }
  return [...byFingerprint.values()];
}
