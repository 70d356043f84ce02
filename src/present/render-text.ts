import type { Tone, View, ViewTable } from './view.js';

const TONE_MARK: Record<Tone, string> = { info: '', ok: '[OK] ', warn: '[WARN] ', critical: '[CRITICAL] ' };

/** Display width of a string, counting each code point as one column. */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** An aligned plain-text table with a header rule. */
export function renderTable(t: ViewTable): string {
  const widths = t.columns.map((c, i) => Math.max(width(c.header), ...t.rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => pad(cell, widths[i] ?? 0, t.columns[i]?.align ?? 'left')).join('  ').trimEnd();
  const out: string[] = [];
  if (t.title) out.push(t.title);
  out.push(line(t.columns.map((c) => c.header)));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of t.rows) out.push(line(r));
  if (t.rows.length === 0) out.push('(none)');
  return out.join('\n');
}

/** A View as terminal text: title, lines, fields as `name: value`, tables, buttons as hints, footer. */
export function renderText(view: View): string {
  const out: string[] = [`${TONE_MARK[view.tone ?? 'info']}${view.title}`];
  out.push('='.repeat(Math.min(80, width(out[0] ?? ''))));
  for (const l of view.lines ?? []) out.push(l);
  if (view.fields?.length) {
    const w = Math.max(...view.fields.map((f) => width(f.name)));
    out.push('');
    for (const f of view.fields) out.push(`${pad(f.name, w, 'left')}  ${f.value.replace(/\n/g, `\n${' '.repeat(w + 2)}`)}`);
  }
  for (const t of view.tables ?? []) {
    out.push('');
    out.push(renderTable(t));
  }
  if (view.buttons?.length) {
    out.push('');
    out.push(`Actions: ${view.buttons.map((b) => `${b.label} [${b.id}]`).join(' · ')}`);
  }
  if (view.footer) {
    out.push('');
    out.push(view.footer);
  }
  return out.join('\n');
}
