import { renderTable } from '../present/render-text.js';
import type { AccountCheck, DoctorReport } from './doctor.js';

const ms = (v: number | undefined): string => (v === undefined ? '—' : `${Math.round(v)} ms`);
const yesNo = (v: boolean | undefined, loud = false): string => (v === undefined ? '—' : v ? (loud ? 'YES' : 'yes') : 'no');
/** Trade/withdraw cells: loud when the key may do it; marked `(account)` when the venue only told us about the account. */
const flag = (v: boolean | undefined, scope: AccountCheck['permissionScope']): string => (v === undefined ? '—' : scope === 'account' ? `${v ? 'yes' : 'no'} (account)` : yesNo(v, true));
const clip = (s: string, n = 90): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function accountRow(a: AccountCheck): string[] {
  const p = a.permissions;
  return [a.id, a.venue, a.reachable ? 'yes' : 'NO', ms(a.latencyMs), a.credentials, yesNo(p?.canRead), flag(p?.canTrade, a.permissionScope), flag(p?.canWithdraw, a.permissionScope), clip(a.note)];
}

/**
 * The doctor's answer as plain text: venues, then accounts (read / trade / withdraw as the venue reports
 * them; `—` where it says nothing), then one loud WARNING line per problem and a verdict line.
 * `scrub` removes any configured secret that might have slipped into a venue's message.
 */
export function renderDoctor(report: DoctorReport, opts: { configPath: string; scrub: (text: string) => string }): string {
  const out: string[] = [`delta-ops doctor — ${report.accounts.length} account${report.accounts.length === 1 ? '' : 's'}, config ${opts.configPath}`, ''];
  out.push(
    renderTable({
      title: 'Venues',
      columns: [{ header: 'VENUE' }, { header: 'REACHABLE' }, { header: 'LATENCY', align: 'right' }, { header: 'NOTE' }],
      rows: report.venues.map((v) => [v.venue, v.reachable ? 'yes' : 'NO', ms(v.latencyMs), clip(v.note)]),
    }),
    '',
    renderTable({
      title: 'Accounts',
      columns: ['ACCOUNT', 'VENUE', 'REACHABLE', 'LATENCY', 'CREDENTIALS', 'READ', 'TRADE', 'WITHDRAW', 'NOTE'].map((header) => ({ header, ...(header === 'LATENCY' ? { align: 'right' as const } : {}) })),
      rows: report.accounts.map(accountRow),
    }),
    '',
  );
  const warnings = report.accounts.flatMap((a) => a.warnings);
  const cautions = report.accounts.flatMap((a) => a.cautions);
  for (const w of warnings) out.push(`!!! WARNING: ${w}`);
  for (const c of cautions) out.push(`!!! CHECK: ${c}`);
  const checks = cautions.length ? `; ${cautions.length} key${cautions.length === 1 ? '' : 's'} to check by hand (CHECK lines)` : '';
  out.push(
    warnings.length === 0
      ? `doctor: OK — every account reachable, credentials accepted, no key can trade or withdraw where the venue says${checks}.`
      : `doctor: ${warnings.length} problem${warnings.length === 1 ? '' : 's'} — fix the WARNING lines above${checks}.`,
  );
  return opts.scrub(out.join('\n'));
}
