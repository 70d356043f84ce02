import type { Clock } from '../../../src/core/clock.js';
import type { CapturedFile } from './http-body.js';
import type { AttachmentJson, MessageJson, UserJson } from './json-types.js';
import { resolveMentions } from './mentions.js';
import type { MessageBody } from './message-body.js';
import { assertMessageLimits, assertNotEmpty } from './message-body.js';
import type { SnowflakeFactory } from './snowflake.js';
import { Errors } from './api-error.js';

/** A message as the fake holds it: the JSON Discord would serve plus the attachment bytes. */
export interface StoredMessage {
  json: MessageJson;
  /** Attachment bytes, in the order of `json.attachments`. */
  files: CapturedFile[];
  /** Ephemeral messages belong to an interaction and never show in the channel's history. */
  ephemeral: boolean;
  deleted: boolean;
  /** Every version, oldest first: creation, then each edit. */
  history: MessageJson[];
}

/** SUPPRESS_EMBEDS is the only flag an edit may toggle; IS_COMPONENTS_V2 may be added, never removed. */
const EDITABLE_FLAGS = 1 << 2;
const ADDABLE_FLAGS = 1 << 15;

function editedFlags(prev: number, requested: number | null | undefined): number {
  if (requested == null) return prev;
  return (prev & ~EDITABLE_FLAGS) | (requested & (EDITABLE_FLAGS | ADDABLE_FLAGS));
}

export type MessageEvent = { kind: 'create' | 'edit' | 'delete'; message: StoredMessage };

export interface CreateMessageInput {
  channelId: string;
  guildId?: string;
  author: UserJson;
  body: MessageBody;
  files: CapturedFile[];
  ephemeral?: boolean;
  type?: number;
  /** Flags the server sets itself (ephemeral, loading), on top of the body's. */
  extraFlags?: number;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: MessageJson['interaction_metadata'];
  /** Deferred-reply placeholders are empty by design. */
  placeholder?: boolean;
}

interface Deps {
  ids: SnowflakeFactory;
  clock: Clock;
  lookupUser: (id: string) => UserJson;
  /** Where attachment URLs point (the fake serves the bytes back there). */
  attachmentBase: () => string;
  nonceWindowMs: number;
}

export class MessageStore {
  private readonly byId = new Map<string, StoredMessage>();
  private readonly listeners = new Set<(e: MessageEvent) => void>();

  constructor(private readonly deps: Deps) {}

  subscribe(listener: (e: MessageEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): StoredMessage | undefined {
    const m = this.byId.get(id);
    return m && !m.deleted ? m : undefined;
  }

  /** Non-ephemeral, non-deleted messages of a channel, oldest first. */
  visibleIn(channelId: string): StoredMessage[] {
    return [...this.byId.values()].filter((m) => m.json.channel_id === channelId && !m.ephemeral && !m.deleted);
  }

  all(): StoredMessage[] {
    return [...this.byId.values()];
  }

  /** Discord's enforce_nonce: the same author + nonce within the window returns the earlier message. */
  findByNonce(authorId: string, nonce: string | number): StoredMessage | undefined {
    const since = this.deps.clock.now() - this.deps.nonceWindowMs;
    return [...this.byId.values()].find(
      (m) => m.json.author.id === authorId && m.json.nonce === nonce && Date.parse(m.json.timestamp) >= since,
    );
  }

  create(input: CreateMessageInput): StoredMessage {
    const { body } = input;
    assertMessageLimits(body);
    const id = this.deps.ids.next();
    const { attachments, files } = this.attach(input.channelId, [], [], body, input.files);
    const content = body.content ?? '';
    const mentions = resolveMentions(content, body.allowed_mentions, this.deps.lookupUser);
    const json: MessageJson = {
      id,
      type: input.type ?? 0,
      channel_id: input.channelId,
      ...(input.guildId ? { guild_id: input.guildId } : {}),
      author: input.author,
      content,
      timestamp: new Date(this.deps.clock.now()).toISOString(),
      edited_timestamp: null,
      tts: body.tts ?? false,
      mention_everyone: mentions.everyone,
      mentions: mentions.users,
      mention_roles: mentions.roles,
      attachments,
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      flags: (body.flags ?? 0) | (input.extraFlags ?? 0),
      ...(body.nonce != null ? { nonce: body.nonce } : {}),
      ...(input.webhookId ? { webhook_id: input.webhookId } : {}),
      ...(input.applicationId ? { application_id: input.applicationId } : {}),
      ...(input.interactionMetadata ? { interaction_metadata: input.interactionMetadata } : {}),
    };
    if (!input.placeholder) assertNotEmpty(json, { stickers: (body.sticker_ids ?? []).length > 0, poll: body.poll != null });
    const stored: StoredMessage = { json, files, ephemeral: input.ephemeral ?? false, deleted: false, history: [structuredClone(json)] };
    this.byId.set(id, stored);
    this.emit({ kind: 'create', message: stored });
    return stored;
  }

  /** Applies an edit body; `clearFlags` lets the interaction layer resolve a loading placeholder. */
  edit(id: string, body: MessageBody, newFiles: CapturedFile[], clearFlags = 0): StoredMessage {
    const stored = this.get(id);
    if (!stored) throw Errors.unknownMessage();
    assertMessageLimits(body);
    const prev = stored.json;
    const { attachments, files } = this.attach(prev.channel_id, prev.attachments, stored.files, body, newFiles);
    const content = body.content === undefined ? prev.content : (body.content ?? '');
    const mentions =
      body.content === undefined && body.allowed_mentions === undefined
        ? { users: prev.mentions, roles: prev.mention_roles, everyone: prev.mention_everyone }
        : resolveMentions(content, body.allowed_mentions, this.deps.lookupUser);
    const json: MessageJson = {
      ...prev,
      content,
      embeds: body.embeds === undefined ? prev.embeds : (body.embeds ?? []),
      components: body.components === undefined ? prev.components : (body.components ?? []),
      attachments,
      mentions: mentions.users,
      mention_roles: mentions.roles,
      mention_everyone: mentions.everyone,
      flags: editedFlags(prev.flags & ~clearFlags, body.flags),
      edited_timestamp: new Date(this.deps.clock.now()).toISOString(),
    };
    assertNotEmpty(json, { stickers: false, poll: false });
    stored.json = json;
    stored.files = files;
    stored.history.push(structuredClone(json));
    this.emit({ kind: 'edit', message: stored });
    return stored;
  }

  delete(id: string): void {
    const stored = this.get(id);
    if (!stored) throw Errors.unknownMessage();
    stored.deleted = true;
    this.emit({ kind: 'delete', message: stored });
  }

  /**
   * Discord's attachment rules: on create every uploaded file becomes an attachment; on edit uploads
   * are appended unless `attachments` is given, which then lists exactly what to keep (existing ids)
   * and which uploads to add (their `files[n]` index as id).
   */
  private attach(
    channelId: string,
    existing: AttachmentJson[],
    existingFiles: CapturedFile[],
    body: MessageBody,
    uploads: CapturedFile[],
  ): { attachments: AttachmentJson[]; files: CapturedFile[] } {
    const uploadFor = (ref: string): CapturedFile | undefined =>
      uploads.find((f) => f.field === `files[${ref}]`) ?? uploads[Number(ref)];
    const fresh = (file: CapturedFile, description?: string, filename?: string): AttachmentJson => {
      const id = this.deps.ids.next();
      const name = filename ?? file.filename;
      const url = `${this.deps.attachmentBase()}/attachments/${channelId}/${id}/${encodeURIComponent(name)}`;
      return { id, filename: name, ...(description ? { description } : {}), content_type: file.contentType, size: file.bytes.length, url, proxy_url: url };
    };
    const attachments: AttachmentJson[] = [];
    const files: CapturedFile[] = [];
    if (body.attachments == null) {
      attachments.push(...existing);
      files.push(...existingFiles);
      for (const file of uploads) {
        attachments.push(fresh(file));
        files.push(file);
      }
      return { attachments, files };
    }
    for (const ref of body.attachments) {
      const kept = existing.findIndex((a) => a.id === String(ref.id));
      if (kept >= 0) {
        attachments.push(existing[kept]!);
        files.push(existingFiles[kept]!);
        continue;
      }
      const upload = uploadFor(String(ref.id));
      if (upload) {
        attachments.push(fresh(upload, ref.description, ref.filename));
        files.push(upload);
      }
    }
    return { attachments, files };
  }

  private emit(e: MessageEvent): void {
    for (const l of this.listeners) l(e);
  }
}
