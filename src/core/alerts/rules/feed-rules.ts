import type { Condition, Rule } from './types.js';
import { pctText } from './text.js';

/** `failover`: WARN while a symbol is served by a backup feed, CRITICAL when every feed fails. */
export const failoverRule: Rule = ({ feeds }) => {
  const out: Condition[] = [];
  for (const f of feeds ?? []) {
    const ok = f.feeds.filter((x) => x.ok).length;
    if (f.feeds.length > 0 && ok === 0) {
      out.push({ type: 'failover', symbol: f.symbol, severity: 'CRITICAL', value: 0, threshold: 1, summary: `${f.symbol}: every price feed failing (${f.feeds.length})`, sources: [] });
    } else if (f.active !== undefined && f.active !== f.primary) {
      out.push({ type: 'failover', symbol: f.symbol, severity: 'WARN', value: ok, threshold: f.feeds.length, summary: `${f.symbol}: failed over from ${f.primary} to ${f.active}`, sources: [] });
    }
  }
  return out;
};

/**
 * `hedger-capacity`: open interest used / cap over the threshold, and the venue's own notices
 * (Rasa position-state failures) for the same account, folded into one alert per account so the
 * fingerprint stays type|account.
 */
export const hedgerRule: Rule = ({ snapshot, config }) => {
  const out: Condition[] = [];
  const warn = config.thresholds.hedgerCapacity.warn;
  for (const a of snapshot.accounts) {
    const cap = a.state?.hedgerCapacity;
    const ratio = cap && cap.cap > 0 ? cap.used / cap.cap : undefined;
    const notices = (a.state?.notices ?? []).filter((n) => n.trim() !== '');
    const over = ratio !== undefined && ratio > warn;
    if (!over && notices.length === 0) continue;
    const parts: string[] = [];
    if (over) parts.push(`hedger capacity ${pctText(ratio)} used (> ${pctText(warn)})`);
    if (notices.length) parts.push(`${notices.length} notice${notices.length === 1 ? '' : 's'}: ${notices.join('; ').slice(0, 160)}`);
    out.push({ type: 'hedger-capacity', account: a.id, severity: 'WARN', value: ratio ?? 0, threshold: warn, summary: parts.join('; '), sources: [a.id] });
  }
  return out;
};
