import { describe, expect, it } from 'vitest';
import { escapeCodeBlock, escapeText } from '../../src/discord/escape.js';
import { truncate } from '../../src/discord/limits.js';
import { renderView, TONE_COLOR } from '../../src/discord/render-view.js';
import type { View, ViewTable } from '../../src/present/view.js';
import { limitViolations, visibleText } from './limits-check.js';

const big = (n: number, unit = 'x'): string => unit.repeat(n);

function table(rows: number, title = 'Accounts'): ViewTable {
  return {
    title,
    columns: [{ header: 'Account' }, { header: 'Equity', align: 'right' }, { header: 'Util', align: 'right' }],
    rows: Array.from({ length: rows }, (_, i) => [`acc-${String(i).padStart(4, '0')}`, `$${(1000 + i).toLocaleString('en-US')}.00`, `${(i % 100).toFixed(1)}%`]),
  };
}

describe('renderView: a normal view', () => {
  const view: View = {
    title: 'Risk — portfolio',
    tone: 'warn',
    lines: ['Risk level MEDIUM'],
    fields: [{ name: 'Total equity', value: '$35,000.00', inline: true }],
    tables: [table(3)],
    footer: 'operationId 42',
  };
  const m = renderView(view);

  it('keeps title, colour, lines, fields and footer, and pings nobody', () => {
    expect(m.embeds[0]).toMatchObject({ title: 'Risk — portfolio', color: TONE_COLOR.warn, description: 'Risk level MEDIUM', fields: [{ name: 'Total equity', value: '$35,000.00', inline: true }] });
    expect(m.allowedMentions).toEqual({ parse: [], roles: [] });
    expect(m.flags).toBeUndefined();
    expect(m.files).toEqual([]);
    expect(m.embeds.at(-1)?.footer?.text).toBe('operationId 42');
    expect(limitViolations(m)).toEqual([]);
  });

  it('renders a table as an aligned code block after the fields (next embed)', () => {
    expect(m.embeds).toHaveLength(2);
    expect(m.embeds[1]?.description).toBe(
      ['**Accounts**', '```', 'Account      Equity  Util', '--------  ---------  ----', 'acc-0000  $1,000.00  0.0%', 'acc-0001  $1,001.00  1.0%', 'acc-0002  $1,002.00  2.0%', '```'].join('\n'),
    );
  });
});

describe('renderView: tables', () => {
  it('puts the table in the first embed when there are no fields, aligned in monospace', () => {
    const m = renderView({ title: 'T', tables: [table(2)] });
    expect(m.embeds).toHaveLength(1);
    expect(m.embeds[0]?.description).toBe('**Accounts**\n```\nAccount      Equity  Util\n--------  ---------  ----\nacc-0000  $1,000.00  0.0%\nacc-0001  $1,001.00  1.0%\n```');
  });

  it('shows "(none)" for an empty table', () => {
    expect(renderView({ title: 'T', tables: [table(0)] }).embeds[0]?.description).toContain('(none)');
  });

  it('pages a long table across embeds, each page with its header, within every limit', () => {
    const m = renderView({ title: 'Status', tables: [table(200)] });
    expect(limitViolations(m)).toEqual([]);
    expect(m.embeds.length).toBeGreaterThan(1);
    for (const e of m.embeds) expect(e.description).toMatch(/```\nAccount +Equity +Util\n/);
    expect(m.embeds[1]?.description).toContain('**Accounts** (cont.)');
    const shown = visibleText(m).match(/acc-\d{4}/g) ?? [];
    expect(shown).toHaveLength(200);
    expect(m.files).toEqual([]);
  });

  it('attaches what cannot fit in 6000 characters, with a visible note counting the rows left out', () => {
    const m = renderView({ title: 'Alerts (all)', lines: ['5000 alerts'], tables: [table(5000)] });
    expect(limitViolations(m)).toEqual([]);
    const shown = new Set(visibleText(m).match(/acc-\d{4}/g));
    const omitted = 5000 - shown.size;
    expect(omitted).toBeGreaterThan(4000);
    expect(m.files).toHaveLength(1);
    expect(m.files[0]?.name).toBe('alerts-all.txt');
    const text = m.files[0]!.data.toString('utf8');
    expect(text.match(/acc-\d{4}/g)).toHaveLength(5000);
    expect(m.embeds.at(-1)?.description).toContain(`… ${omitted} more rows (see attachment alerts-all.txt)`);
  });

  it('cuts over-wide cells visibly in the embed and keeps them whole in the attachment', () => {
    const long = big(300, 'w');
    const m = renderView({ title: 'T', tables: [{ columns: [{ header: 'Summary' }], rows: [[long]] }] });
    expect(m.embeds[0]?.description).toContain(`${big(47, 'w')}…`);
    expect(limitViolations(m)).toEqual([]);
  });
});

describe('renderView: every limit with huge inputs', () => {
  const huge: View = {
    title: big(10_000, 'T'),
    tone: 'critical',
    lines: Array.from({ length: 500 }, (_, i) => `line ${i} ${big(80)}`),
    fields: Array.from({ length: 120 }, (_, i) => ({ name: `f${i} ${big(400)}`, value: big(5000, 'v') })),
    tables: [table(3000, big(500, 'n')), table(3000, 'Second')],
    footer: big(5000, 'F'),
    buttons: Array.from({ length: 40 }, (_, i) => ({ id: `alert:ack:a${i}`, label: big(200, 'L'), style: 'primary' as const })),
  };
  const m = renderView(huge);

  it('stays inside title 256, description 4096, 25 fields, field 1024, 6000 total, 10 embeds, 5×5 buttons', () => {
    expect(limitViolations(m)).toEqual([]);
    expect(m.embeds[0]?.title).toHaveLength(256);
    expect(m.embeds[0]?.title?.endsWith('…')).toBe(true);
    expect(m.components).toHaveLength(5);
    expect(m.components.every((r) => r.components.length === 5)).toBe(true);
  });

  it('makes every cut visible', () => {
    const text = visibleText(m);
    expect(text).toMatch(/… \d+ more rows \(see attachment t+\.txt\)|… \d+ more rows \(see attachment [a-z-]+\.txt\)/);
    expect(text).toContain('more fields not shown');
    expect(text).toContain('… 15 more actions');
    expect(m.embeds.at(-1)?.footer?.text.endsWith('…')).toBe(true);
  });

  it('content is cut to 2000', () => {
    expect(renderView({ title: 't' }, { content: big(5000) }).content).toHaveLength(2000);
  });
});

describe('renderView: escaping and mentions', () => {
  it('escapes markdown and neutralises mentions in every View string', () => {
    const m = renderView({
      title: '**bold** @everyone',
      lines: ['Unknown account "<@123456789012345678> _x_ @here"', '> quote', '# heading', '[link](http://evil)'],
      fields: [{ name: '<@&111111111111111111>', value: '`code` ~~strike~~ ||spoiler||' }],
      footer: '@everyone',
    });
    const text = visibleText(m);
    expect(text).not.toMatch(/@everyone|@here|<@\d|<@&\d/);
    expect(m.embeds[0]?.title).toBe('\\*\\*bold\\*\\* @\u200beveryone');
    expect(m.embeds[0]?.description).toContain('<\u200b@123456789012345678> \\_x\\_ @\u200bhere');
    expect(m.embeds[0]?.description).toContain('\\> quote');
    expect(m.embeds[0]?.description).toContain('\\# heading');
    expect(m.embeds[0]?.description).toContain('\\[link\\](http://evil)');
    expect(m.embeds[0]?.fields?.[0]?.value).toBe('\\`code\\` \\~\\~strike\\~\\~ \\|\\|spoiler\\|\\|');
    expect(m.allowedMentions).toEqual({ parse: [], roles: [] });
  });

  it('a table cell cannot close the code block', () => {
    const m = renderView({ title: 't', tables: [{ columns: [{ header: 'x' }], rows: [['```\n@everyone']] }] });
    const d = m.embeds[0]?.description ?? '';
    expect(d.match(/```/g)).toHaveLength(2);
    expect(d).not.toContain('@everyone');
  });

  it('pings only the configured alert role, and only when asked', () => {
    const m = renderView({ title: 'CRITICAL' }, { content: '<@&222222222222222222>', alertRoleId: '222222222222222222' });
    expect(m.content).toBe('<@&222222222222222222>');
    expect(m.allowedMentions).toEqual({ parse: [], roles: ['222222222222222222'] });
  });

  it('escape helpers', () => {
    expect(escapeText('a_b')).toBe('a\\_b');
    expect(escapeText('1. list\n44.29% · 3.09x')).toBe('1\\. list\n44.29% · 3.09x');
    expect(escapeText('- item\n-# small\n-$2,000.00\n## h\n>>> q')).toBe('\\- item\n\\-# small\n-$2,000.00\n\\## h\n\\>>> q');
    expect(escapeText('~a~ |b| \\c')).toBe('\\~a\\~ \\|b\\| \\\\c');
    expect(escapeCodeBlock('x ``` y')).toBe('x `\u200b`\u200b` y');
    expect(truncate('abc\\\\de', 6)).toBe('abc\\\\…');
    expect(truncate('abc\\de', 5)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });
});

describe('renderView: flags, buttons, image', () => {
  it('ephemeral views get the ephemeral flag, except as channel posts', () => {
    expect(renderView({ title: 'e', ephemeral: true }).flags).toBe(64);
    expect(renderView({ title: 'e', ephemeral: true }, { channelPost: true }).flags).toBeUndefined();
  });

  it('buttons become action rows of at most 5 with their custom ids and styles', () => {
    const m = renderView({ title: 'a', buttons: [{ id: 'alert:ack:ab12', label: 'Acknowledge', style: 'primary' }, { id: 'alert:silence1h:ab12', label: 'Silence 1h', style: 'secondary' }] });
    expect(m.components).toEqual([{ type: 1, components: [{ type: 2, custom_id: 'alert:ack:ab12', label: 'Acknowledge', style: 1 }, { type: 2, custom_id: 'alert:silence1h:ab12', label: 'Silence 1h', style: 2 }] }]);
  });

  it('an image goes into the first embed as an attachment', () => {
    const m = renderView({ title: 's' }, { image: { name: 'summary-24h.png', data: Buffer.from([1]) } });
    expect(m.embeds[0]?.image).toEqual({ url: 'attachment://summary-24h.png' });
    expect(m.files.map((f) => f.name)).toEqual(['summary-24h.png']);
  });
});

describe('renderView: a grid of sizes', () => {
  it('never breaks a limit and never sends an empty embed', () => {
    let checked = 0;
    for (const lines of [0, 3, 200])
      for (const fields of [0, 5, 30, 60])
        for (const fieldSize of [10, 900, 3000])
          for (const rows of [0, 10, 150, 2000])
            for (const tables of [1, 3]) {
              const view: View = {
                title: `t${lines}`,
                lines: Array.from({ length: lines }, (_, i) => `line ${i} ${big(60)}`),
                fields: Array.from({ length: fields }, (_, i) => ({ name: `field ${i}`, value: big(fieldSize, 'v') })),
                tables: Array.from({ length: tables }, (_, k) => table(rows, `T${k}`)),
                footer: 'footer',
              };
              const m = renderView(view);
              expect(limitViolations(m)).toEqual([]);
              for (const e of m.embeds) expect(Boolean(e.title || e.description || e.fields?.length)).toBe(true);
              const shown = (visibleText(m).match(/acc-\d{4}/g) ?? []).length;
              if (shown < rows * tables) expect(m.files.length).toBe(1);
              checked++;
            }
    expect(checked).toBe(288);
  });
});
