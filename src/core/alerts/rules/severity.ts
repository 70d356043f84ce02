import type { Severity } from '../../ports/alerts.js';
import type { RiskLevel } from '../../risk/types.js';
import type { Band } from '../../thresholds/resolve.js';

/**
 * The alert words for the core's levels. Levels are decided in src/core/thresholds/levels.ts, the same
 * functions the risk report uses, so an alert fires exactly when the risk level says the metric is over.
 */
const SEVERITY: Record<RiskLevel, Severity | undefined> = { low: undefined, medium: 'WARN', high: 'CRITICAL' };

/** The alert severity of a level, or none for `low`, with the threshold it crossed. */
export function crossed(level: RiskLevel, band: Band): { severity: Severity; threshold: number } | undefined {
  const severity = SEVERITY[level];
  if (severity === undefined) return undefined;
  return { severity, threshold: level === 'high' ? band.critical : band.warn };
}
