import type { Condition, Rule } from './types.js';
import { accountThresholds } from './thresholds.js';
import { pctText } from './text.js';

/** `utilization` and `drawdown`, from the per-account risk metrics. */
export const accountRules: Rule = ({ risk, config }) => {
  const out: Condition[] = [];
  for (const m of risk.accounts) {
    const t = accountThresholds(config, m.account);
    const sources = [m.account];
    if (m.equity > 0 && m.utilization > t.utilization.warn) {
      const critical = m.utilization > t.utilization.critical;
      const threshold = critical ? t.utilization.critical : t.utilization.warn;
      out.push({
        type: 'utilization',
        account: m.account,
        severity: critical ? 'CRITICAL' : 'WARN',
        value: m.utilization,
        threshold,
        summary: `utilization ${pctText(m.utilization)} > ${pctText(threshold)}`,
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
