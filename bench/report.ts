import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MachineInfo, Result } from './framework.js';

const f1 = (v: number): string => v.toFixed(1);

export const startMarker = (key: string): string => `<!-- bench:${key}:start (written by \`npm run bench -- --only ${key}\`; edit outside these markers) -->`;
export const endMarker = (key: string): string => `<!-- bench:${key}:end -->`;

/** Results as a console table. */
export function consoleTable(results: readonly Result[]): string {
  const rows = results.map((r) => [r.name, f1(r.medianMs), f1(r.minMs), f1(r.maxMs), r.idealMs !== undefined ? String(r.idealMs) : '—', r.ratio !== undefined ? `${r.ratio.toFixed(3)}×` : '—', r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL']);
  const head = ['benchmark', 'median ms', 'min', 'max', 'ideal ms', 'ratio', `≤ ${results.find((r) => r.maxRatio)?.maxRatio ?? ''}×`];
  return textTable(head, rows);
}

/** A plain-text table, first column left-aligned, the others right-aligned. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A markdown table; `align` is 'l' or 'r' per column (default: first left, the rest right). */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const a = head.map((_, i) => align?.[i] ?? (i === 0 ? 'l' : 'r'));
  return [`| ${head.join(' | ')} |`, `|${a.map((x) => (x === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The machine line every section starts with. */
export function machineLine(m: MachineInfo): string {
  return `Measured ${m.date} on ${m.cpu} (${m.cores} cores, ${m.memoryGb} GB), Node ${m.node}, ${m.platform}.`;
}

/** A results table of `runBenchmark` results (median, min, max, ideal, ratio, target). */
export function resultsTable(results: readonly Result[]): string {
  return markdownTable(
    ['benchmark', 'median (ms)', 'min', 'max', 'ideal (ms)', 'median / ideal', 'target'],
    results.map((r) => [r.name, f1(r.medianMs), f1(r.minMs), f1(r.maxMs), String(r.idealMs ?? '—'), r.ratio !== undefined ? `${r.ratio.toFixed(3)}×` : '—', r.maxRatio !== undefined ? `≤ ${r.maxRatio}× ${r.pass ? '✅' : '❌'}` : '—']),
    ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

/** The descriptions of `results`, each once, as a bullet list. */
export function descriptionList(results: readonly Result[]): string {
  return [...new Set(results.map((r) => r.description))].map((d) => `- ${d}`).join('\n');
}

/** A whole section: heading, machine line, then the suite's body. */
export function suiteSection(title: string, m: MachineInfo, body: string): string {
  return `## ${title}\n\n${machineLine(m)}\n${body.trim()}\n`;
}

/**
 * Replaces the text between the `key` markers of `path` with `section` (or appends a marked section),
 * leaving everything else (other suites' sections, hand-written text) as it was.
 */
export function updateBenchmarksFile(path: string, key: string, section: string): void {
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const start = new RegExp(`<!-- bench:${key}:start[^>]*-->`).exec(before);
  const end = endMarker(key);
  const b = start ? before.indexOf(end, start.index) : -1;
  const block = `${startMarker(key)}\n${section.trimEnd()}\n${end}`;
  const next = start && b !== -1 ? `${before.slice(0, start.index)}${block}${before.slice(b + end.length)}` : `${before.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}

/**
 * Puts the marked sections of `path` in `keys` order (sections of unknown keys keep their place after
 * them). Only when nothing but blank lines sits between sections, so hand-written text is never moved.
 */
export function orderSections(path: string, keys: readonly string[]): void {
  if (!existsSync(path)) return;
  const text = readFileSync(path, 'utf8');
  const re = /<!-- bench:([\w-]+):start[^>]*-->[\s\S]*?<!-- bench:\1:end -->/g;
  const blocks = [...text.matchAll(re)].map((m) => ({ key: m[1]!, body: m[0], start: m.index, end: m.index + m[0].length }));
  if (blocks.length < 2) return;
  for (let i = 1; i < blocks.length; i++) if (text.slice(blocks[i - 1]!.end, blocks[i]!.start).trim() !== '') return;
  const rank = (k: string): number => (keys.includes(k) ? keys.indexOf(k) : keys.length);
  const sorted = [...blocks].sort((a, b) => rank(a.key) - rank(b.key) || a.start - b.start);
  const first = blocks[0]!;
  const last = blocks[blocks.length - 1]!;
  writeFileSync(path, `${text.slice(0, first.start)}${sorted.map((b) => b.body).join('\n\n')}${text.slice(last.end)}`);
}
