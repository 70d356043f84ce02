import { describe, expect, it } from 'vitest';
import { renderView } from '../../src/discord/render-view.js';
import { renderText } from '../../src/present/render-text.js';
import type { View } from '../../src/present/view.js';
import { limitViolations, visibleText } from './limits-check.js';

const rows = (n: number, tag: string): string[][] => Array.from({ length: n }, (_, i) => [`${tag}${i}`, String(i * 7)]);

describe('a table marked as an attachment', () => {
  const view: View = {
    title: 'Two tables',
    lines: ['The long one is attached.'],
    tables: [
      { title: 'Shown', columns: [{ header: 'Name' }, { header: 'Value', align: 'right' }], rows: rows(3, 'shown-') },
      { title: 'Everything', columns: [{ header: 'Name' }, { header: 'Value', align: 'right' }], rows: rows(5000, 'row-'), attachment: 'every row: 2026-01-02T09:00Z.txt' },
    ],
  };

  it('goes whole into its own file and never into the embeds; the other table is shown as usual', () => {
    const m = renderView(view);
    expect(limitViolations(m)).toEqual([]);
    const text = visibleText(m);
    expect(text).toContain('shown-2');
    expect(text).not.toContain('row-0');
    expect(text).not.toMatch(/more rows?/);
    expect(m.files).toHaveLength(1);
    // The name is made safe for Discord and for `attachment://` references.
    expect(m.files[0]?.name).toBe('every-row-2026-01-02T09-00Z.txt');
    const lines = m.files[0]!.data.toString('utf8').trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['Everything', 'Name      Value', '--------  -----']);
    expect(lines).toHaveLength(3 + 5000);
    expect(lines.at(-1)).toBe('row-4999  34993');
  });

  it('a terminal prints it inline', () => {
    const text = renderText(view);
    expect(text).toContain('row-4999  34993');
    expect(text).toContain('shown-2');
  });
});
