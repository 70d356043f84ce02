import type { AlertRecord, Silence, SilenceMatcher } from '../ports/alerts.js';
import type { WindowOccurrence } from './maintenance.js';

/** A silence created before its start: it waits for `startsAt` (`/alerts silence start:…`). */
export function isPlanned(s: Silence): boolean {
  return s.createdAt !== undefined && s.startsAt > s.createdAt;
}

/**
 * Active until `endsAt` unless ended by hand: decided from the clock, never stored. A silence that
 * started when it was created holds from then whatever the clock says (after the wall clock went back
 * its start lies in the future, and it must still hold: not page what someone just muted). A planned
 * one holds from its start. One ended by hand never comes back, however the clock moves.
 */
export function isSilenceActive(s: Silence, now: number): boolean {
  if (s.expiredBy !== undefined || now >= s.endsAt) return false;
  return !isPlanned(s) || now >= s.startsAt;
}

/** Not over yet: active, or planned and still to start. */
export function isSilenceOpen(s: Silence, now: number): boolean {
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

/** The maintenance window in force that mutes the alert (the one ending last), if any. */
export function windowFor(a: AlertRecord, windows: readonly WindowOccurrence[]): WindowOccurrence | undefined {
  return windows.filter((w) => matcherMatches(w.window.match, a)).sort((x, y) => y.endsAt - x.endsAt)[0];
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

/** What can mute an alert at a moment: silences (stored) and the maintenance windows in force then. */
export interface Mutes {
  silences: readonly Silence[];
  windows: readonly WindowOccurrence[];
}

export interface MuteState {
  silence?: Silence;
  window?: WindowOccurrence;
  inhibitedBy: string[];
}

export function muteState(a: AlertRecord, mutes: Mutes, stale: ReadonlySet<string>, now: number): MuteState {
  const m: MuteState = { inhibitedBy: inhibitedBy(a, stale) };
  const silence = silenceFor(a, mutes.silences, now);
  const window = windowFor(a, mutes.windows);
  if (silence) m.silence = silence;
  if (window) m.window = window;
  return m;
}

export function isMuted(m: MuteState): boolean {
  return m.silence !== undefined || m.window !== undefined || m.inhibitedBy.length > 0;
}

/** Until when a silence or window mutes the alert (shown on its messages), if one does. */
export function mutedUntil(a: AlertRecord, mutes: Mutes, now: number): number | undefined {
  const ends = [silenceFor(a, mutes.silences, now)?.endsAt, windowFor(a, mutes.windows)?.endsAt].filter((x): x is number => x !== undefined);
  return ends.length ? Math.max(...ends) : undefined;
}
