import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

interface AuditReport {
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { severity: string; via: unknown[]; fixAvailable: unknown }>;
  message?: string;
  error?: unknown;
  statusCode?: number;
}

/**
 * `npm audit --omit=dev --audit-level=high`: no high or critical advisory in what ships. The one test
 * that talks to the npm registry (its advisory endpoint); where that endpoint cannot be reached it is
 * skipped with the reason, never failed, since it would then say nothing about our dependencies.
 */
describe('npm audit of the production dependencies', () => {
  it('has no high or critical finding', { timeout: 90_000 }, (ctx) => {
    const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 80_000 });
    let report: AuditReport | undefined;
    try {
      report = JSON.parse(run.stdout) as AuditReport;
    } catch {
      report = undefined;
    }
    const counts = report?.metadata?.vulnerabilities;
    if (!counts) {
      const why = report?.message ?? run.error?.message ?? (run.stderr.trim().split('\n').pop() || `exit ${String(run.status)}`);
      const note = `npm audit could not reach the advisory endpoint (${why.slice(0, 200)}); run \`npm audit --omit=dev\` where it can`;
      console.warn(`SKIPPED: ${note}`);
      ctx.skip(note);
      return;
    }
    const serious = Object.entries(report?.vulnerabilities ?? {})
      .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
      .map(([name, v]) => `${name} (${v.severity})`);
    expect(serious).toEqual([]);
    expect((counts['high'] ?? 0) + (counts['critical'] ?? 0)).toBe(0);
  });
});
