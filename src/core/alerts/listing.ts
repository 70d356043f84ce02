import type { AlertRecord, Silence } from '../ports/alerts.js';
import type { StoreScope } from '../ports/store.js';
import { nextWindow, windowsInForce, type CronCalendar, type WindowOccurrence } from './maintenance.js';
import { muteState, staleAccounts, type Mutes } from './mute.js';
import { notifyLevel, type NotifyLevel, type PagingPolicy } from './paging.js';

/** An alert as `/alerts list` shows it: what mutes it, how it notifies, how far its escalation went. */
export interface AlertListItem extends AlertRecord {
  /** The active silence muting it. */
  silence?: Pick<Silence, 'id' | 'endsAt' | 'reason' | 'createdBy'>;
  /** The maintenance window in force muting it. */
  window?: WindowOccurrence;
  /** Stale accounts (active sync alerts) whose data it was computed from. */
  inhibitedBy: string[];
  /** Its type's notification level (`off`: listed here, never posted). */
  notify: NotifyLevel;
  /** Steps of the escalation chain (the configured ones), for `escalationStep` of how many. */
  escalationSteps: number;
}

export interface SilenceItem extends Silence {
  active: boolean;
}

/** The maintenance windows: those in force now, and the next one to start. */
export interface MaintenanceView {
  inForce: WindowOccurrence[];
  next?: WindowOccurrence;
}

/** Where the paging policy's windows are read: the policy and the calendar that evaluates their cron times. */
export interface WindowSource {
  paging: PagingPolicy;
  calendar?: CronCalendar | undefined;
}

/** What mutes alerts at `now`: the stored silences and the maintenance windows in force. */
export async function mutesAt(scope: StoreScope, now: number, src: WindowSource): Promise<Mutes> {
  const { calendar, paging } = src;
  const windows = calendar && paging.maintenance.length ? windowsInForce(paging.maintenance, calendar, now) : [];
  return { silences: await scope.silences.list(now), windows };
}

export function maintenanceAt(now: number, src: WindowSource): MaintenanceView {
  const { calendar, paging } = src;
  if (!calendar || paging.maintenance.length === 0) return { inForce: [] };
  const next = nextWindow(paging.maintenance, calendar, now);
  return { inForce: windowsInForce(paging.maintenance, calendar, now), ...(next ? { next } : {}) };
}

/** The alerts with what `/alerts list` shows beside each. */
export async function listItems(scope: StoreScope, alerts: readonly AlertRecord[], now: number, src: WindowSource): Promise<AlertListItem[]> {
  const [mutes, stale] = await Promise.all([mutesAt(scope, now, src), staleAccountsOf(scope)]);
  return decorateAll(alerts, mutes, stale, now, src);
}

/**
 * The listing `/alerts list` shows: the alerts asked for, decorated, and the silences not over yet
 * (the same rows that mute them). The three reads go out together: on PostgreSQL that is one round trip
 * of waiting instead of three one after another.
 */
export async function readListing(
  scope: StoreScope,
  alerts: Promise<readonly AlertRecord[]>,
  now: number,
  src: WindowSource,
): Promise<{ items: AlertListItem[]; silences: readonly Silence[] }> {
  const [records, mutes, stale] = await Promise.all([alerts, mutesAt(scope, now, src), staleAccountsOf(scope)]);
  return { items: decorateAll(records, mutes, stale, now, src), silences: mutes.silences };
}

/** Only active sync alerts decide inhibition: reading every active alert (a row costs ~5 µs to build)
 * made `/alerts list` slow, and a storm of 2,000 alerts 10 ms slower still. */
async function staleAccountsOf(scope: StoreScope): Promise<ReturnType<typeof staleAccounts>> {
  return staleAccounts(await scope.alerts.list({ state: 'active', type: 'sync', limit: Number.MAX_SAFE_INTEGER }));
}

function decorateAll(alerts: readonly AlertRecord[], mutes: Mutes, stale: ReturnType<typeof staleAccounts>, now: number, src: WindowSource): AlertListItem[] {
  const steps = src.paging.escalation.length;
  return alerts.map((a) => {
    const notify = notifyLevel(src.paging, a.type);
    if (a.state === 'resolved') return { ...a, inhibitedBy: [], notify, escalationSteps: steps };
    const m = muteState(a, mutes, stale, now);
    const item: AlertListItem = { ...a, inhibitedBy: m.inhibitedBy, notify, escalationSteps: steps };
    if (m.silence) item.silence = { id: m.silence.id, endsAt: m.silence.endsAt, reason: m.silence.reason, createdBy: m.silence.createdBy };
    if (m.window) item.window = m.window;
    return item;
  });
}
