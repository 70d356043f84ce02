import type { SystemStatus } from '../core/ops/system-status.js';
import { SEVERITIES } from '../core/ports/alerts.js';
import { age } from './format.js';
import type { ViewTable } from './view.js';

/** `3d 4h`, `2h 5m`, `4m 12s`, `9s`: two units at most. */
export function duration(seconds: number): string {
  const s = Math.floor(Math.max(0, seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** The numbers as `/status` prints them; /metrics tests compare against these same strings. */
export const fmt = {
  ms: (v: number): string => `${v.toFixed(2)} ms`,
  mb: (v: number): string => `${v.toFixed(1)} MB`,
  cpu: (v: number): string => `${v.toFixed(1)}%`,
  perMinute: (v: number): string => `${v}/min`,
  perSecond: (v: number): string => v.toFixed(2),
};

/** The process lines of `/status`: uptime, performance, open alerts and feeds off their primary. */
export function systemLines(s: SystemStatus): string[] {
  const p = s.performance;
  const alerts = s.alerts
    ? `Open alerts: ${SEVERITIES.slice().reverse().map((sev) => `${s.alerts!.bySeverity[sev]} ${sev}`).join(' · ')}`
    : 'Open alerts: unknown (the store did not answer)';
  const backup = s.feeds.onBackup.map((f) => `${f.symbol} on ${f.active} (primary ${f.primary})`);
  const none = s.feeds.noFeed.map((sym) => `${sym} on no feed`);
  const feeds = backup.length + none.length === 0 ? 'Feeds: every symbol on its primary feed' : `Feeds on backup: ${[...backup, ...none].join(', ')}`;
  return [
    `System ${s.status.toUpperCase()} · uptime ${duration(s.uptime)} · ${s.activeAccounts} of ${s.totalAccounts} accounts synced`,
    `Performance: avg response ${fmt.ms(p.avgResponseTime)} over ${s.totalOperations} commands and API requests (${fmt.perSecond(p.operationsPerSecond)}/s) · ticks ${fmt.perMinute(p.ticksPerMinute)} (${p.totalTicks} total) · memory ${fmt.mb(p.memoryUsage)} · CPU ${fmt.cpu(p.cpuUsage)}`,
    alerts,
    feeds,
  ];
}

/** One row per service: status, last heartbeat, error count, and why. */
export function servicesTable(s: SystemStatus): ViewTable {
  return {
    title: 'Services',
    columns: [{ header: 'Service' }, { header: 'Status' }, { header: 'Last heartbeat' }, { header: 'Errors', align: 'right' }, { header: 'Detail' }],
    rows: s.services.map((v) => [
      v.name,
      v.status,
      v.lastHeartbeat === null ? '—' : age(s.timestamp - v.lastHeartbeat),
      String(v.errorCount),
      (v.detail ?? (v.lastError ? `last error: ${v.lastError.message}` : '')).slice(0, 60),
    ]),
  };
}
