import { ButtonStyle, ComponentType, MessageFlags, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed } from 'discord.js';
import type { Tone, View, ViewButton, ViewTable } from '../present/view.js';
import { escapeCodeBlock, escapeText, neutralizeMentions, plainLine } from './escape.js';
import { embedSize, LIMITS, truncate } from './limits.js';
import { tableLines, tableText } from './render-table.js';

export interface RenderedFile {
  name: string;
  data: Buffer;
}

/** A Discord message body, within every limit, ready for `reply`, `editReply`, `send` or a REST post. */
export interface RenderedMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  flags?: MessageFlags.Ephemeral;
  allowedMentions: { parse: []; roles: string[] };
  files: RenderedFile[];
}

export interface RenderOptions {
  /** Our own text for the message content (a role mention). Not escaped; cut to 2000. */
  content?: string;
  /** The one role a message may ping (the configured alert role); nobody else ever is. */
  alertRoleId?: string;
  /** A PNG shown inside the first embed. */
  image?: RenderedFile;
  /** Channel posts are never ephemeral, whatever the view says. */
  channelPost?: boolean;
}

export const TONE_COLOR: Record<Tone, number> = { info: 0x3498db, ok: 0x2ecc71, warn: 0xe67e22, critical: 0xe74c3c };

const STYLE: Record<ViewButton['style'], APIButtonComponentWithCustomId['style']> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** Room kept free for the "… N more rows (see attachment)" note. */
const NOTE_RESERVE = 160;
/** Lines under the title never take more than this, so tables keep some room. */
const MAX_LINES_CHARS = 3000;
const EMPTY = '\u200b';

/** Escapes at most `max` characters of input (escaping only lengthens text), then cuts to `max`. */
function escaped(text: string, max: number): string {
  return truncate(escapeText(truncate(text, max)), max);
}

/** A safe file name: Discord shows it, and `attachment://` references must match it exactly. */
function attachmentName(name: string): string {
  const base = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 80);
  return base.endsWith('.txt') ? base : `${base || 'table'}.txt`;
}

function slug(title: string): string {
  return (title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'table') + '.txt';
}

/** Mutable state of one render: the embeds so far and the characters left of the 6000 budget. */
class Packer {
  readonly embeds: APIEmbed[];
  budget: number;

  constructor(first: APIEmbed, reserve: number) {
    this.embeds = [first];
    this.budget = LIMITS.embedTotal - reserve - embedSize(first);
  }

  /** Characters that may still go into this embed's description. */
  room(e: APIEmbed): number {
    return Math.max(0, Math.min(LIMITS.description - NOTE_RESERVE - (e.description?.length ?? 0), this.budget));
  }

  /** A new embed, when one more fits and `need` characters would fit in it. */
  open(color: number, need = 0): APIEmbed | undefined {
    if (this.embeds.length >= LIMITS.embedsPerMessage || need > this.room({})) return undefined;
    const e: APIEmbed = { color };
    this.embeds.push(e);
    return e;
  }

  append(e: APIEmbed, text: string): void {
    e.description = (e.description ?? '') + text;
    this.budget -= text.length;
  }
}

function packFields(view: View, p: Packer, color: number): number {
  let target = p.embeds[0]!;
  let dropped = 0;
  for (const f of view.fields ?? []) {
    const name = escaped(plainLine(f.name), LIMITS.fieldName) || EMPTY;
    let value = escaped(f.value.trim(), LIMITS.fieldValue) || EMPTY;
    if (name.length + value.length > p.budget) {
      if (p.budget - name.length < 40) {
        dropped++;
        continue;
      }
      value = truncate(value, p.budget - name.length);
    }
    if ((target.fields?.length ?? 0) >= LIMITS.fields) {
      const next = p.open(color);
      if (!next) {
        dropped++;
        continue;
      }
      target = next;
    }
    (target.fields ??= []).push({ name, value, ...(f.inline ? { inline: true } : {}) });
    p.budget -= name.length + value.length;
  }
  return dropped;
}

/** Tables as code blocks, paged across embeds; returns the tables that did not fit and how many rows were left out. */
function packTables(tables: readonly ViewTable[], p: Packer, color: number, startIn: APIEmbed | undefined): { overflow: ViewTable[]; omitted: number } {
  let target = startIn;
  const overflow: ViewTable[] = [];
  let omitted = 0;
  for (const t of tables) {
    if (overflow.length > 0) {
      overflow.push(t);
      omitted += Math.max(1, t.rows.length);
      continue;
    }
    const { head, rows } = tableLines(t);
    const title = t.title ? `**${escaped(plainLine(t.title), 200)}**` : '';
    const fence = `\`\`\`\n${escapeCodeBlock(head.join('\n'))}\n`;
    let i = 0;
    let page = 0;
    while (i < rows.length) {
      const sep = (e: APIEmbed): string => (e.description ? '\n' : '');
      const prefix = (e: APIEmbed): string => `${sep(e)}${title ? `${title}${page > 0 ? ' (cont.)' : ''}\n` : ''}${fence}`;
      const need = (e: APIEmbed): number => prefix(e).length + escapeCodeBlock(rows[i]!).length + 1 + 3;
      if (!target || need(target) > p.room(target)) {
        const next = p.open(color, need({}));
        if (!next) break;
        target = next;
      }
      let text = prefix(target);
      while (i < rows.length) {
        const row = `${escapeCodeBlock(rows[i]!)}\n`;
        if (text.length + row.length + 3 > p.room(target)) break;
        text += row;
        i++;
      }
      p.append(target, `${text}\`\`\``);
      page++;
    }
    if (i < rows.length) {
      overflow.push(t);
      omitted += rows.length - i;
    }
  }
  return { overflow, omitted };
}

function buttonRows(buttons: readonly ViewButton[]): { rows: RenderedMessage['components']; dropped: number } {
  const unique = [...new Map(buttons.map((b) => [b.id, b])).values()];
  const max = LIMITS.actionRows * LIMITS.buttonsPerRow;
  const shown = unique.filter((b) => b.id.length <= LIMITS.customId).slice(0, max);
  const rows: RenderedMessage['components'] = [];
  for (let i = 0; i < shown.length; i += LIMITS.buttonsPerRow) {
    rows.push({
      type: ComponentType.ActionRow,
      components: shown.slice(i, i + LIMITS.buttonsPerRow).map((b) => ({
        type: ComponentType.Button,
        custom_id: b.id,
        label: truncate(plainLine(b.label), LIMITS.buttonLabel) || '…',
        style: STYLE[b.style],
      })),
    });
  }
  return { rows, dropped: unique.length - shown.length };
}

/**
 * A View as a Discord message inside every limit: title 256, description 4096, 25 fields of 1024,
 * 6000 characters over at most 10 embeds, content 2000, 5 rows of 5 buttons. Text is escaped (all View
 * text is plain and may carry user input); tables become code blocks paged across embeds, and what
 * still does not fit goes into a .txt attachment with a visible note. Mentions ping nobody but the
 * alert role, and only when it is given.
 */
export function renderView(view: View, opts: RenderOptions = {}): RenderedMessage {
  const color = TONE_COLOR[view.tone ?? 'info'];
  const first: APIEmbed = { title: escaped(plainLine(view.title), LIMITS.title) || EMPTY, color };
  const footerText = view.footer ? truncate(neutralizeMentions(plainLine(view.footer)), 1024) : '';
  const p = new Packer(first, footerText.length + NOTE_RESERVE);

  const lines = escaped((view.lines ?? []).join('\n'), MAX_LINES_CHARS);
  if (lines) p.append(first, truncate(lines, p.room(first)));

  const droppedFields = packFields(view, p, color);
  // Fields render under the description: with fields, tables start in the next embed to keep View order.
  const shown = (view.tables ?? []).filter((t) => t.attachment === undefined);
  const { overflow, omitted } = packTables(shown, p, color, view.fields?.length ? undefined : first);
  const buttons = buttonRows(view.buttons ?? []);

  // Tables the view marks as attachments go whole into their own file, never into the embeds.
  const files: RenderedFile[] = (view.tables ?? []).flatMap((t) => (t.attachment === undefined ? [] : [{ name: attachmentName(t.attachment), data: Buffer.from(`${tableText(t)}\n`, 'utf8') }]));
  const notes: string[] = [];
  if (overflow.length) {
    const name = slug(view.title);
    files.push({ name, data: Buffer.from(overflow.map(tableText).join('\n\n') + '\n', 'utf8') });
    notes.push(`… ${omitted} more row${omitted === 1 ? '' : 's'} (see attachment ${name})`);
  }
  if (droppedFields) notes.push(`… ${droppedFields} more field${droppedFields === 1 ? '' : 's'} not shown`);
  if (buttons.dropped) notes.push(`… ${buttons.dropped} more action${buttons.dropped === 1 ? '' : 's'}: use the slash command`);
  const last = p.embeds[p.embeds.length - 1]!;
  if (notes.length) last.description = `${last.description ? `${last.description}\n` : ''}*${escaped(notes.join(' · '), NOTE_RESERVE - 4)}*`;
  if (footerText) last.footer = { text: footerText };

  if (opts.image) {
    files.push(opts.image);
    first.image = { url: `attachment://${opts.image.name}` };
  }
  const out: RenderedMessage = {
    embeds: p.embeds,
    components: buttons.rows,
    allowedMentions: { parse: [], roles: opts.alertRoleId ? [opts.alertRoleId] : [] },
    files,
  };
  if (opts.content) out.content = truncate(opts.content, LIMITS.content);
  if (view.ephemeral && !opts.channelPost) out.flags = MessageFlags.Ephemeral;
  return out;
}
