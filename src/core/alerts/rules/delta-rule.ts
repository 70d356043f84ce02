import type { Condition, Rule } from './types.js';
import { deltaThresholds } from './thresholds.js';
import { pctText, signedText } from './text.js';

/** `delta`: a symbol's portfolio deviation over its tolerance (WARN) or maxDeviation (CRITICAL). */
export const deltaRule: Rule = ({ risk, config }) => {
  const out: Condition[] = [];
  for (const d of risk.portfolio.deltas) {
    const t = deltaThresholds(config, d.symbol);
    if (!(d.deviation > t.tolerance)) continue;
    const critical = d.deviation > t.maxDeviation;
    const threshold = critical ? t.maxDeviation : t.tolerance;
    out.push({
      type: 'delta',
      symbol: d.symbol,
      severity: critical ? 'CRITICAL' : 'WARN',
      value: d.deviation,
      threshold,
      summary: `${d.symbol} deviation ${pctText(d.deviation)} > ${pctText(threshold)} (net ${signedText(d.net)})`,
      sources: [...d.accounts].sort(),
    });
  }
  return out;
};
