import type { Condition, Rule } from './types.js';
import { durationText } from './text.js';

/**
 * `sync` (the seeds' proxy-alert): WARN after `failedSyncs` failures in a row or data older than
 * `staleTicks` ticks; CRITICAL when data is older than `criticalStale`. An account that never synced
 * has no age, so its failures × tick interval stand in for it.
 */
export const syncRule: Rule = ({ snapshot, now, config }) => {
  const t = config.thresholds.sync;
  const staleAfter = t.staleTicks * config.tickIntervalMs;
  const out: Condition[] = [];
  for (const a of snapshot.accounts) {
    const age = a.lastSuccessAt !== undefined ? Math.max(0, now - a.lastSuccessAt) : a.consecutiveFailures * config.tickIntervalMs;
    const failing = a.consecutiveFailures >= t.failedSyncs;
    const critical = age > t.criticalStale && (a.lastSuccessAt !== undefined || failing);
    if (!critical && !failing && !(a.lastSuccessAt !== undefined && age > staleAfter)) continue;
    const error = a.lastError ? `: ${a.lastError.message.slice(0, 120)}` : '';
    const last = a.lastSuccessAt !== undefined ? `last good sync ${durationText(age)} ago` : 'never synced';
    out.push({
      type: 'sync',
      account: a.id,
      severity: critical ? 'CRITICAL' : 'WARN',
      value: age,
      threshold: critical ? t.criticalStale : staleAfter,
      summary: `${last}, ${a.consecutiveFailures} failure${a.consecutiveFailures === 1 ? '' : 's'} in a row${error}`,
      sources: [],
    });
  }
  return out;
};
