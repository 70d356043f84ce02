import type { AlertRecord, Silence, SilenceMatcher } from '../ports/alerts.js';

/**
 * Active until `endsAt` unless ended by hand: decided from the clock, never stored. Silences start when
 * they are created, so `startsAt` is not checked: after the wall clock went back it lies in the
 * future, and the silence must still hold (not page what someone just muted). One ended by hand never
 * comes back, however the clock moves.
 */
export function isSilenceActive(s: Silence, now: number): boolean {
  return s.expiredBy === undefined && now < s.endsAt;
}

const same = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/** Every field the matcher sets must equal the alert's; an empty matcher matches nothing. */
export function matcherMatches(m: SilenceMatcher, a: Pick<AlertRecord, 'type' | 'account' | 'symbol'>): boolean {
  if (m.type === undefined && m.account === undefined && m.symbol === undefined) return false;
  return (m.type === undefined || m.type === a.type) && (m.account === undefined || same(m.account, a.account)) && (m.symbol === undefined || same(m.symbol, a.symbol));
}

/** The active silence that mutes the alert (the one ending last), if any. */
export function silenceFor(a: AlertRecord, silences: readonly Silence[], now: number): Silence | undefined {
  return silences.filter((s) => isSilenceActive(s, now) && matcherMatches(s.matcher, a)).sort((x, y) => y.endsAt - x.endsAt)[0];
}

/** Accounts whose `sync` alert is active: their data is stale. */
export function staleAccounts(active: readonly AlertRecord[]): Set<string> {
  return new Set(active.filter((a) => a.type === 'sync' && a.state !== 'resolved' && a.account !== undefined).map((a) => a.account as string));
}

/**
 * Inhibition (Alertmanager's inhibit rule, fixed): while an account's `sync` alert is active, alerts
 * computed from that account's data are muted; the sync alert already tells the desk the numbers
 * are stale. Returns the stale source accounts, empty when not inhibited.
 */
export function inhibitedBy(a: AlertRecord, stale: ReadonlySet<string>): string[] {
  if (a.type === 'sync') return [];
  return a.sources.filter((s) => stale.has(s));
}

export interface MuteState {
  silence?: Silence;
  inhibitedBy: string[];
}

export function muteState(a: AlertRecord, silences: readonly Silence[], stale: ReadonlySet<string>, now: number): MuteState {
  const silence = silenceFor(a, silences, now);
  return silence ? { silence, inhibitedBy: inhibitedBy(a, stale) } : { inhibitedBy: inhibitedBy(a, stale) };
}

export function isMuted(m: MuteState): boolean {
  return m.silence !== undefined || m.inhibitedBy.length > 0;
}
