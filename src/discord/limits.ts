/**
 * Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
 * Discord answers 400 (50035 Invalid Form Body) to anything over them, so every renderer checks here.
 */
export const LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  /** Sum of every title, description, field name and value, footer and author name, over all embeds. */
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandDescription: 100,
  nonce: 25,
} as const;

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units, marking the cut with "…" so truncation is visible. Never
 * splits a surrogate pair, and never leaves a dangling escape backslash that would swallow the "…".
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = text.slice(0, max - 1);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

/** Characters an embed counts towards the 6000 total. */
export function embedSize(e: { title?: string; description?: string; fields?: readonly { name: string; value: string }[]; footer?: { text: string }; author?: { name: string } }): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}
