import type { AlertRecord, AlertType, Severity } from '../ports/alerts.js';
import type { Delivery } from '../outbox/payload.js';

/**
 * The paging policy (`alerts.escalation`, `.routes`, `.notify`, `.maintenance` in the configuration), as
 * plain types the core reads; src/config/schema.ts parses and checks that its output fits them. Ids of
 * channels, roles and users are opaque strings here: the core routes by them, a sink resolves them.
 */

/** `on`: posted as usual. `silent`: posted without a notification and pinging nobody. `off`: listed, never posted. */
export const NOTIFY_LEVELS = ['on', 'silent', 'off'] as const;
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];

/** Every field set must equal the alert's (account and symbol case-insensitively); an empty match matches every alert. */
export interface RouteMatch {
  severity?: Severity | undefined;
  type?: AlertType | undefined;
  account?: string | undefined;
  symbol?: string | undefined;
}

export interface AlertRoute {
  match: RouteMatch;
  channelId: string;
  /** Pinged by this route's posts (any severity); without it the route's posts ping nobody. */
  mentionRoleId?: string | undefined;
  /** Keep looking for further matching routes after this one (Alertmanager's `continue`). */
  continue: boolean;
}

/** One step of the escalation chain: paged when a CRITICAL alert is still unacknowledged `after` its first notification. */
export interface EscalationStep {
  after: number;
  mentionRoleIds: string[];
  dmUserIds: string[];
}

/** A recurring maintenance window: alerts matching `match` are muted for `duration` from each cron time in `timezone`. */
export interface MaintenanceWindow {
  cron: string;
  duration: number;
  timezone: string;
  match: { type?: AlertType | undefined; account?: string | undefined; symbol?: string | undefined };
  reason: string;
}

export interface PagingPolicy {
  /** Steps by increasing `after`. */
  escalation: EscalationStep[];
  routes: AlertRoute[];
  /** Per alert type; a type not listed is `on`. */
  notify: Partial<Record<AlertType, NotifyLevel>>;
  maintenance: MaintenanceWindow[];
}

/** One channel, default pings, everything on: how alerts went out before routing existed. */
export const DEFAULT_PAGING: PagingPolicy = { escalation: [], routes: [], notify: {}, maintenance: [] };

/** A length of time as the config writes it: `45s`, `10m`, `1h30m`, `3d`. */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  return `${Math.round(h / 24)}d`;
}

export function notifyLevel(policy: PagingPolicy, type: AlertType): NotifyLevel {
  return policy.notify[type] ?? 'on';
}

const same = (want: string | undefined, have: string | undefined): boolean => want === undefined || (have !== undefined && want.toLowerCase() === have.toLowerCase());

function routeMatches(m: RouteMatch, a: Pick<AlertRecord, 'severity' | 'type' | 'account' | 'symbol'>): boolean {
  return (m.severity === undefined || m.severity === a.severity) && (m.type === undefined || m.type === a.type) && same(m.account, a.account) && same(m.symbol, a.symbol);
}

/**
 * The routes an alert goes to, in order: the first that matches, and the ones after it while each
 * matching route says `continue`. Empty when none matches: the alert goes the default way.
 */
export function routesOf(a: Pick<AlertRecord, 'severity' | 'type' | 'account' | 'symbol'>, routes: readonly AlertRoute[]): AlertRoute[] {
  const out: AlertRoute[] = [];
  for (const r of routes) {
    if (!routeMatches(r.match, a)) continue;
    out.push(r);
    if (!r.continue) break;
  }
  return out;
}

/**
 * Where an alert's notification goes and how: one delivery per route (each channel once), silent ones
 * flagged and pinging nobody; the empty delivery `{}` when no route matches (the sink's alert channel
 * and its default ping). None for an `off` alert.
 */
export function deliveriesOf(a: Pick<AlertRecord, 'severity' | 'type' | 'account' | 'symbol'>, policy: PagingPolicy): Delivery[] {
  const level = notifyLevel(policy, a.type);
  if (level === 'off') return [];
  const routes = routesOf(a, policy.routes);
  const out: Delivery[] = routes.length === 0 ? [{}] : [];
  const seen = new Set<string>();
  for (const r of routes) {
    if (seen.has(r.channelId)) continue;
    seen.add(r.channelId);
    out.push({ channelId: r.channelId, mentionRoleIds: r.mentionRoleId !== undefined ? [r.mentionRoleId] : [] });
  }
  return level === 'silent' ? out.map((d) => ({ channelId: d.channelId, mentionRoleIds: [], silent: true })) : out;
}

/** The channel an alert lives in (its first route's), where its escalation messages go; undefined: the default channel. */
export function homeChannelOf(a: Pick<AlertRecord, 'severity' | 'type' | 'account' | 'symbol'>, policy: PagingPolicy): string | undefined {
  return routesOf(a, policy.routes)[0]?.channelId;
}
