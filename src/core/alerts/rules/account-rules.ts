import { levelAbove } from '../../thresholds/levels.js';
import { resolveThresholds } from '../../thresholds/resolve.js';
import { crossed } from './severity.js';
import type { Condition, Rule } from './types.js';
import { pctText } from './text.js';

/** `utilization` and `drawdown`, from the per-account risk metrics. */
export const accountRules: Rule = ({ risk, config }) => {
  const out: Condition[] = [];
  for (const m of risk.accounts) {
    // Account-wide metrics: no symbol, so symbol-scoped overrides do not apply (as in the risk level).
    const t = resolveThresholds(config, m.account);
    const sources = [m.account];
    const over = m.equity > 0 ? crossed(levelAbove(m.utilization, t.utilization), t.utilization) : undefined;
    if (over) {
      out.push({
        type: 'utilization',
        account: m.account,
        severity: over.severity,
        value: m.utilization,
        threshold: over.threshold,
        summary: `utilization ${pctText(m.utilization)} > ${pctText(over.threshold)}`,
        sources,
      });
    }
    if (m.maxDrawdown > t.drawdown.critical) {
      out.push({
        type: 'drawdown',
        account: m.account,
        severity: 'CRITICAL',
        value: m.maxDrawdown,
        threshold: t.drawdown.critical,
        summary: `drawdown ${pctText(m.maxDrawdown)} > stop-loss ${pctText(t.drawdown.critical)}`,
        sources,
      });
    }
  }
  return out;
};
