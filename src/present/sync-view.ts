import type { OnDemandSyncResult } from '../core/on-demand-sync.js';
import type { Tone, View } from './view.js';

/** Account ids listed in a line; a larger book is counted instead. */
const MAX_LISTED = 25;

const count = (n: number): string => n.toLocaleString('en-US');

/** `/sync`: which accounts synced and which failed (with why), and how long the tick took. */
export function syncView(r: OnDemandSyncResult): View {
  const asked = r.synced.length + r.failed.length;
  const tone: Tone = asked === 0 ? 'warn' : r.failed.length === 0 ? 'ok' : r.synced.length === 0 ? 'critical' : 'warn';
  const lines = [`Tick #${r.seq} took ${count(Math.round(r.ms))} ms (a sync already running is joined, not repeated).`];
  if (r.synced.length) lines.push(`Synced: ${r.synced.length <= MAX_LISTED ? r.synced.join(', ') : `${count(r.synced.length)} accounts`}`);
  if (r.unknown.length) lines.push(`Not configured: ${r.unknown.join(', ')}`);
  return {
    title: `Sync: ${count(r.synced.length)} synced, ${count(r.failed.length)} failed`,
    tone,
    lines,
    tables: r.failed.length
      ? [{ title: 'Failed', columns: [{ header: 'Account' }, { header: 'Code' }, { header: 'Error' }], rows: r.failed.map((f) => [f.account, String(f.code), f.message]) }]
      : [],
  };
}
