import type { ViewTable } from '../present/view.js';
import { truncate } from './limits.js';

/** Wider cells wrap badly in a Discord code block; long ones are cut (visibly) and the attachment keeps them whole. */
export const MAX_CELL_WIDTH = 48;

export interface TableLines {
  /** Header and rule: repeated at the top of every page of the table. */
  head: string[];
  rows: string[];
}

const SURROGATE = /[\ud800-\udfff]/;

/** Code points, not UTF-16 units; spreading every cell into an array was a fifth of a table's render time. */
function width(s: string): number {
  return SURROGATE.test(s) ? [...s].length : s.length;
}

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

function cell(s: string | undefined, maxCell: number): string {
  return truncate((s ?? '').replace(/[\r\n\t]+/g, ' '), maxCell);
}

/** A table as aligned monospace lines (plain text: escaping for code blocks is the caller's job). */
export function tableLines(t: ViewTable, maxCell = MAX_CELL_WIDTH): TableLines {
  const rows = t.rows.map((r) => t.columns.map((_, i) => cell(r[i], maxCell)));
  const headers = t.columns.map((c) => cell(c.header, maxCell));
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i] ?? 0, t.columns[i]?.align ?? 'left')).join('  ').trimEnd();
  return {
    head: [line(headers), widths.map((w) => '-'.repeat(w)).join('  ')],
    rows: rows.length ? rows.map(line) : ['(none)'],
  };
}

/** The whole table as text, cells uncut: what goes into an attachment when the table does not fit. */
export function tableText(t: ViewTable): string {
  const { head, rows } = tableLines(t, Number.MAX_SAFE_INTEGER);
  return [...(t.title ? [t.title] : []), ...head, ...rows].join('\n');
}
