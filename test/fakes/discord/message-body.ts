import { z } from 'zod';
import type { FieldError } from './api-error.js';
import { Errors, invalidFormBody } from './api-error.js';
import { MessageFlags } from './json-types.js';

const embedSchema = z.looseObject({
  title: z.string().optional(),
  description: z.string().optional(),
  fields: z.array(z.looseObject({ name: z.string(), value: z.string(), inline: z.boolean().optional() })).optional(),
  footer: z.looseObject({ text: z.string() }).optional(),
  author: z.looseObject({ name: z.string() }).optional(),
});

export const allowedMentionsSchema = z.looseObject({
  parse: z.array(z.enum(['users', 'roles', 'everyone'])).optional(),
  users: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
  replied_user: z.boolean().optional(),
});

/** A create/edit message body (channel messages, webhooks and interaction callback `data`). */
export const messageBodySchema = z.looseObject({
  content: z.string().nullish(),
  embeds: z.array(embedSchema).nullish(),
  components: z.array(z.unknown()).nullish(),
  flags: z.number().int().nullish(),
  nonce: z.union([z.string(), z.number().int()]).nullish(),
  enforce_nonce: z.boolean().nullish(),
  allowed_mentions: allowedMentionsSchema.nullish(),
  attachments: z
    .array(z.looseObject({ id: z.union([z.string(), z.number()]), filename: z.string().optional(), description: z.string().optional() }))
    .nullish(),
  tts: z.boolean().nullish(),
  sticker_ids: z.array(z.string()).nullish(),
  poll: z.unknown().nullish(),
});

export type MessageBody = z.infer<typeof messageBodySchema>;
export type AllowedMentions = z.infer<typeof allowedMentionsSchema>;

/** Parses a message body or throws Discord's 50035 with the failing paths. */
export function parseMessageBody(json: unknown): MessageBody {
  const parsed = messageBodySchema.safeParse(json ?? {});
  if (parsed.success) return parsed.data;
  throw invalidFormBody(
    parsed.error.issues.map((i) => ({
      path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      code: 'BASE_TYPE_BAD_TYPE',
      message: i.message,
    })),
  );
}

const maxLen = (path: (string | number)[], value: string | undefined | null, max: number): FieldError[] =>
  value != null && value.length > max
    ? [{ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }]
    : [];

function embedFailures(embeds: NonNullable<MessageBody['embeds']>): FieldError[] {
  const out: FieldError[] = [...(embeds.length > 10 ? [{ path: ['embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' }] : [])];
  let total = 0;
  embeds.forEach((e, i) => {
    out.push(...maxLen(['embeds', i, 'title'], e.title, 256));
    out.push(...maxLen(['embeds', i, 'description'], e.description, 4096));
    out.push(...maxLen(['embeds', i, 'footer', 'text'], e.footer?.text, 2048));
    out.push(...maxLen(['embeds', i, 'author', 'name'], e.author?.name, 256));
    const fields = e.fields ?? [];
    if (fields.length > 25) out.push({ path: ['embeds', i, 'fields'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    fields.forEach((f, j) => {
      out.push(...maxLen(['embeds', i, 'fields', j, 'name'], f.name, 256));
      out.push(...maxLen(['embeds', i, 'fields', j, 'value'], f.value, 1024));
      total += f.name.length + f.value.length;
    });
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  });
  if (total > 6000) out.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  return out;
}

const record = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

function componentFailures(components: unknown[], flags: number): FieldError[] {
  const out: FieldError[] = [];
  const v2 = (flags & MessageFlags.IsComponentsV2) !== 0;
  if (!v2 && components.length > 5) out.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  const seen = new Set<string>();
  const walk = (nodes: unknown[], path: (string | number)[]): void => {
    nodes.forEach((node, i) => {
      const c = record(node);
      if (!c) return;
      const here = [...path, i];
      const children = Array.isArray(c.components) ? c.components : [];
      if (!v2 && c.type === 1 && children.length > 5) out.push({ path: [...here, 'components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
      if (typeof c.custom_id === 'string') {
        out.push(...maxLen([...here, 'custom_id'], c.custom_id, 100));
        if (seen.has(c.custom_id)) out.push({ path: [...here, 'custom_id'], code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
        seen.add(c.custom_id);
      }
      if (typeof c.label === 'string') out.push(...maxLen([...here, 'label'], c.label, 80));
      walk(children, [...here, 'components']);
      const accessory = record(c.accessory);
      if (accessory) walk([accessory], [...here, 'accessory']);
    });
  };
  walk(components, ['components']);
  return out;
}

/** Discord's limits on a message as sent (2000 chars, 10 embeds, 6000 embed chars, 25 fields, …). */
export function assertMessageLimits(body: MessageBody): void {
  const failures = [
    ...maxLen(['content'], body.content, 2000),
    ...embedFailures(body.embeds ?? []),
    ...componentFailures(body.components ?? [], body.flags ?? 0),
    ...(typeof body.nonce === 'string' ? maxLen(['nonce'], body.nonce, 25) : []),
  ];
  if (failures.length > 0) throw invalidFormBody(failures);
}

/** The empty-message rule applies to the message as it ends up (after an edit, too). */
export function assertNotEmpty(m: { content: string; embeds: unknown[]; components: unknown[]; attachments: unknown[] }, extra: { stickers: boolean; poll: boolean }): void {
  const empty = m.content === '' && m.embeds.length === 0 && m.components.length === 0 && m.attachments.length === 0;
  if (empty && !extra.stickers && !extra.poll) throw Errors.emptyMessage();
}
