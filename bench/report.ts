import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MachineInfo, Result } from './framework.js';

const START = '<!-- bench:start (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:end -->';

const f1 = (v: number): string => v.toFixed(1);

/** Results as a console table. */
export function consoleTable(results: readonly Result[]): string {
  const rows = results.map((r) => [r.name, f1(r.medianMs), f1(r.minMs), f1(r.maxMs), r.idealMs !== undefined ? String(r.idealMs) : '—', r.ratio !== undefined ? `${r.ratio.toFixed(3)}×` : '—', r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL']);
  const head = ['benchmark', 'median ms', 'min', 'max', 'ideal ms', 'ratio', `≤ ${results.find((r) => r.maxRatio)?.maxRatio ?? ''}×`];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The generated section of BENCHMARKS.md: machine, how to run, results, and what each benchmark means. */
export function markdownSection(results: readonly Result[], m: MachineInfo, opts: { repeats: number; warmup: number; notes: readonly string[] }): string {
  const out: string[] = [
    START,
    '## Results',
    '',
    `Measured ${m.date} on ${m.cpu} (${m.cores} cores, ${m.memoryGb} GB), Node ${m.node}, ${m.platform}.`,
    `Each benchmark: ${opts.warmup} warm-up run${opts.warmup === 1 ? '' : 's'}, then ${opts.repeats} timed runs; the median is reported. Re-run with \`npm run bench\`.`,
    '',
    '| benchmark | median (ms) | min | max | ideal (ms) | median / ideal | target |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...results.map((r) => `| ${r.name} | ${f1(r.medianMs)} | ${f1(r.minMs)} | ${f1(r.maxMs)} | ${r.idealMs ?? '—'} | ${r.ratio !== undefined ? `${r.ratio.toFixed(3)}×` : '—'} | ${r.maxRatio !== undefined ? `≤ ${r.maxRatio}× ${r.pass ? '✅' : '❌'}` : '—'} |`),
    '',
    '### What is measured',
    '',
  ];
  const seen = new Set<string>();
  for (const r of results) {
    if (seen.has(r.description)) continue;
    seen.add(r.description);
    out.push(`- ${r.description}`);
  }
  if (opts.notes.length) out.push('', '### What limits it', '', ...opts.notes.map((n) => `- ${n}`));
  out.push(END);
  return out.join('\n');
}

/** Replaces the generated section of `path` (or appends it), leaving everything else as it was. */
export function updateBenchmarksFile(path: string, section: string): void {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\n';
  const a = before.indexOf(START);
  const b = before.indexOf(END);
  const next = a !== -1 && b > a ? `${before.slice(0, a)}${section}${before.slice(b + END.length)}` : `${before.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}
