import { deviationLevel } from '../../thresholds/levels.js';
import { resolveSymbolLimits } from '../../thresholds/resolve.js';
import { crossed } from './severity.js';
import type { Condition, Rule } from './types.js';
import { pctText, signedText } from './text.js';

/** `delta`: a symbol's portfolio deviation over its tolerance (WARN) or maxDeviation (CRITICAL). */
export const deltaRule: Rule = ({ risk, config }) => {
  const out: Condition[] = [];
  for (const d of risk.portfolio.deltas) {
    const t = resolveSymbolLimits(config.symbols, d.symbol);
    const over = crossed(deviationLevel(d.deviation, t), { warn: t.tolerance, critical: t.maxDeviation });
    if (!over) continue;
    const { threshold } = over;
    out.push({
      type: 'delta',
      symbol: d.symbol,
      severity: over.severity,
      value: d.deviation,
      threshold,
      summary: `${d.symbol} deviation ${pctText(d.deviation)} > ${pctText(threshold)} (net ${signedText(d.net)})`,
      sources: [...d.accounts].sort(),
    });
  }
  return out;
};
