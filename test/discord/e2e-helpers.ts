import { performance } from 'node:perf_hooks';
import type { FakeDiscord, InteractionOutcome, MessageJson, SlashCommandInput } from '../fakes/discord/index.js';

interface EmbedLike {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}

/**
 * Everything a person sees in a message: content, titles, descriptions, fields, footers, with markdown
 * escapes shown the way Discord shows them (a backslash before punctuation is hidden).
 */
export function messageText(m: Pick<MessageJson, 'content' | 'embeds'> | null | undefined): string {
  if (!m) return '';
  const embeds = m.embeds as EmbedLike[];
  const raw = [m.content, ...embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]), e.footer?.text ?? ''])].join('\n');
  return raw.replace(/\\([^\p{L}\p{N}\s])/gu, '$1');
}

/** Custom ids of every button in a message. */
export function buttonIds(m: Pick<MessageJson, 'components'>): string[] {
  const rows = m.components as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((r) => (r.components ?? []).flatMap((c) => (c.custom_id ? [c.custom_id] : [])));
}

/** Round-trip times of slash commands through the fake (reported, never asserted). */
export const roundTrips: number[] = [];

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
}

/** Issues a slash command and waits for the final answer the user sees. */
export async function slash(fake: FakeDiscord, input: SlashCommandInput): Promise<InteractionOutcome & { text: string }> {
  const t0 = performance.now();
  const outcome = await fake.sendSlashCommand(input).final();
  roundTrips.push(performance.now() - t0);
  return { ...outcome, text: messageText(outcome.message) };
}

/** The error id an error reply carries. */
export function errorIdOf(text: string): string | undefined {
  return /Error id: ([0-9a-f]{8})/.exec(text)?.[1];
}
