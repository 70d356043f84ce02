import type { SymbolFeeds } from '../feeds/types.js';
import type { LeadershipStatus } from '../leadership/leader-elector.js';
import { SEVERITIES, type AlertRecord, type AlertType, type Severity } from '../ports/alerts.js';
import type { Snapshot } from '../types.js';
import type { OpsModel } from './ops-model.js';
import type { ServiceView } from './service-health.js';

/** `starting`: no tick finished yet. `standby`: another replica leads; this one only answers. */
export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy' | 'starting' | 'standby';
export type InstanceRole = 'leader' | 'standby' | 'single';

export interface SystemStatusSources {
  ops: OpsModel;
  instance: string;
  /** Several replicas: this instance's role and the leader. Absent: a single process. */
  leadership?: () => LeadershipStatus;
  snapshot: () => Snapshot | undefined;
  totalAccounts: number;
  /** The type and severity of every active (pending or firing) alert. */
  openAlerts: () => Promise<readonly Pick<AlertRecord, 'type' | 'severity'>[]>;
  /** Every symbol's price feeds; absent where no feed manager runs. */
  feeds?: () => readonly SymbolFeeds[];
}

export interface OpenAlertCounts {
  total: number;
  bySeverity: Record<Severity, number>;
  /** `type|severity` → count, for the metrics' labels. */
  byTypeAndSeverity: { type: AlertType; severity: Severity; count: number }[];
}

export interface FeedOnBackup {
  symbol: string;
  /** The feed serving it. */
  active: string;
  /** The feed that should. */
  primary: string;
  reason: string;
}

export interface SystemStatus {
  status: OverallStatus;
  /** Epoch ms this was computed at. */
  timestamp: number;
  startedAt: number;
  /** Seconds since start. */
  uptime: number;
  instance: { id: string; role: InstanceRole };
  /** The leading replica as this one knows it; null with one process, or when no one leads. */
  leader: { instance: string; since: number; epoch: number } | null;
  services: ServiceView[];
  performance: {
    avgResponseTime: number;
    operationsPerSecond: number;
    memoryUsage: number;
    cpuUsage: number;
    ticksPerMinute: number;
    totalTicks: number;
  };
  /** Accounts whose last sync succeeded, of `totalAccounts` configured. */
  activeAccounts: number;
  totalAccounts: number;
  totalOperations: number;
  /** Null when the store did not answer. */
  alerts: OpenAlertCounts | null;
  feeds: { onBackup: FeedOnBackup[]; noFeed: string[] };
}

export function countOpenAlerts(alerts: readonly Pick<AlertRecord, 'type' | 'severity'>[]): OpenAlertCounts {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const pairs = new Map<string, { type: AlertType; severity: Severity; count: number }>();
  for (const a of alerts) {
    bySeverity[a.severity]++;
    const key = `${a.type}|${a.severity}`;
    const p = pairs.get(key) ?? { type: a.type, severity: a.severity, count: 0 };
    p.count++;
    pairs.set(key, p);
  }
  const byTypeAndSeverity = [...pairs.values()].sort((x, y) => x.type.localeCompare(y.type) || x.severity.localeCompare(y.severity));
  return { total: alerts.length, bySeverity, byTypeAndSeverity };
}

/** Symbols served by a feed other than their primary, and symbols no feed can serve. */
export function feedsOffPrimary(feeds: readonly SymbolFeeds[]): SystemStatus['feeds'] {
  const onBackup: FeedOnBackup[] = [];
  const noFeed: string[] = [];
  for (const f of feeds) {
    if (f.active === undefined) noFeed.push(f.symbol);
    else if (f.active !== f.primary) onBackup.push({ symbol: f.symbol, active: f.active, primary: f.primary, reason: f.activeReason });
  }
  return { onBackup, noFeed };
}

export function roleOf(l: LeadershipStatus | undefined): InstanceRole {
  return l === undefined ? 'single' : l.role;
}

function overall(role: InstanceRole, services: readonly ServiceView[]): OverallStatus {
  if (role === 'standby') return 'standby';
  if (services.find((s) => s.name === 'scheduler')?.status === 'idle') return 'starting';
  if (services.some((s) => s.status === 'down')) return 'unhealthy';
  if (services.some((s) => s.status === 'degraded')) return 'degraded';
  return 'healthy';
}

/** The system status: what `/status` shows and `GET /api/v1/system/status` answers. */
export async function buildSystemStatus(src: SystemStatusSources): Promise<SystemStatus> {
  const alerts = await src
    .openAlerts()
    .then(countOpenAlerts)
    .catch(() => null);
  const { ops } = src;
  const now = ops.now();
  const l = src.leadership?.();
  const role = roleOf(l);
  const services = ops.health.all();
  const p = ops.performance.view();
  const snapshot = src.snapshot();
  return {
    status: overall(role, services),
    timestamp: now,
    startedAt: ops.startedAt,
    uptime: Math.max(0, (now - ops.startedAt) / 1000),
    instance: { id: l?.instance ?? src.instance, role },
    leader: l?.leader ? { ...l.leader } : null,
    services,
    performance: {
      avgResponseTime: p.avgResponseTime,
      operationsPerSecond: p.operationsPerSecond,
      memoryUsage: p.memoryUsage,
      cpuUsage: p.cpuUsage,
      ticksPerMinute: p.ticksPerMinute,
      totalTicks: p.totalTicks,
    },
    activeAccounts: snapshot?.accounts.filter((a) => a.status === 'ok').length ?? 0,
    totalAccounts: src.totalAccounts,
    totalOperations: p.totalOperations,
    alerts,
    feeds: feedsOffPrimary(src.feeds?.() ?? []),
  };
}

export interface Readiness {
  ready: boolean;
  checks: {
    /** This instance leads (or runs alone): a standby is alive but not ready. */
    leading: boolean;
    firstSync: boolean;
    store: boolean;
    /** Null when this instance does not use Discord. */
    discord: boolean | null;
  };
}

/** `/readyz`: leading, the first sync done, the store answering, Discord connected when configured. */
export async function readiness(src: Pick<SystemStatusSources, 'ops' | 'leadership' | 'snapshot'> & { pingStore: () => Promise<void>; timeoutMs?: number }): Promise<Readiness> {
  const store = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), src.timeoutMs ?? 1_000);
    src.pingStore().then(
      () => resolve(true),
      () => resolve(false),
    ).finally(() => clearTimeout(timer));
  });
  const leading = roleOf(src.leadership?.()) !== 'standby';
  const firstSync = src.snapshot() !== undefined;
  const discord = src.ops.discordExpected ? src.ops.isDiscordConnected : null;
  return { ready: leading && firstSync && store && discord !== false, checks: { leading, firstSync, store, discord } };
}
