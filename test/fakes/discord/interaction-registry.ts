import { z } from 'zod';
import type { Clock } from '../../../src/core/clock.js';
import { Errors, invalidFormBody } from './api-error.js';
import type { CapturedFile } from './http-body.js';
import type { InteractionJson, MessageJson, UserJson } from './json-types.js';
import { CallbackType, InteractionType, MessageFlags } from './json-types.js';
import type { MessageBody } from './message-body.js';
import { parseMessageBody } from './message-body.js';
import type { MessageStore, StoredMessage } from './message-store.js';
import { Signal } from './wait.js';

export interface Choice {
  name: string;
  value: string | number;
}

/** What the bot answered on POST /interactions/{id}/{token}/callback. */
export interface InteractionCallback {
  type: number;
  /** Message body for 4/7, `{ flags }` for 5, `{ choices }` for 8, the modal for 9; null when absent. */
  data: (MessageBody & { choices?: Choice[]; custom_id?: string; title?: string }) | null;
  files: CapturedFile[];
  ephemeral: boolean;
}

export interface IssuedInteraction {
  payload: InteractionJson;
  issuedAt: number;
  callback: InteractionCallback | null;
  /** The message `@original` refers to (reply, deferred placeholder, or the clicked message). */
  originalId: string | null;
  /** True once the user sees a final answer: immediate reply/update, or the first edit after a deferral. */
  settled: boolean;
  followUpIds: string[];
}

const choicesSchema = z.object({
  choices: z.array(z.looseObject({ name: z.string().min(1).max(100), value: z.union([z.string().max(100), z.number()]) })).max(25),
});
const modalSchema = z.looseObject({ custom_id: z.string().max(100), title: z.string().max(45), components: z.array(z.unknown()) });
const callbackSchema = z.object({ type: z.number().int(), data: z.unknown().optional() });

const ALLOWED: Record<number, readonly number[]> = {
  [InteractionType.ApplicationCommand]: [4, 5, 9],
  [InteractionType.MessageComponent]: [4, 5, 6, 7, 9],
  [InteractionType.Autocomplete]: [8],
  [InteractionType.ModalSubmit]: [4, 5, 6, 7],
};

const TOKEN_LIFETIME_MS = 15 * 60_000;

interface Deps {
  messages: MessageStore;
  clock: Clock;
  appId: string;
  bot: UserJson;
  deadlineMs: number | null;
}

/** Interactions the harness injected, and Discord's rules for answering them. */
export class InteractionRegistry {
  readonly changed = new Signal();
  private readonly byId = new Map<string, IssuedInteraction>();

  constructor(private readonly deps: Deps) {}

  issue(payload: InteractionJson): IssuedInteraction {
    const issued: IssuedInteraction = { payload, issuedAt: this.deps.clock.now(), callback: null, originalId: null, settled: false, followUpIds: [] };
    this.byId.set(payload.id, issued);
    return issued;
  }

  get(id: string): IssuedInteraction | undefined {
    return this.byId.get(id);
  }

  all(): IssuedInteraction[] {
    return [...this.byId.values()];
  }

  /** Handles the interaction callback; returns the with_response body, or null for 204. */
  callback(id: string, token: string, json: unknown, files: CapturedFile[], withResponse: boolean): Record<string, unknown> | null {
    const it = this.byId.get(id);
    if (!it || it.payload.token !== token) throw Errors.unknownInteraction();
    const { deadlineMs } = this.deps;
    if (!it.callback && deadlineMs != null && this.deps.clock.now() - it.issuedAt > deadlineMs) throw Errors.unknownInteraction();
    if (it.callback) throw Errors.alreadyAcknowledged();
    const parsed = callbackSchema.safeParse(json);
    if (!parsed.success) throw invalidFormBody([{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    const { type, data } = parsed.data;
    if (!(ALLOWED[it.payload.type] ?? []).includes(type)) {
      throw invalidFormBody([{ path: ['type'], code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: `Callback type ${type} is not valid for interaction type ${it.payload.type}` }]);
    }
    const callback = this.applyCallback(it, type, data, files);
    it.callback = callback;
    this.changed.notify();
    return withResponse ? this.callbackResponse(it) : null;
  }

  private applyCallback(it: IssuedInteraction, type: number, data: unknown, files: CapturedFile[]): InteractionCallback {
    switch (type) {
      case CallbackType.ChannelMessageWithSource: {
        const body = parseMessageBody(data);
        const ephemeral = ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
        const msg = this.createResponseMessage(it, body, files, ephemeral, 0);
        it.originalId = msg.json.id;
        it.settled = true;
        return { type, data: body, files, ephemeral };
      }
      case CallbackType.DeferredChannelMessageWithSource: {
        const body = parseMessageBody(data ?? {});
        const ephemeral = ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
        // The "is thinking…" placeholder decides visibility now; later edits cannot change it.
        const msg = this.createResponseMessage(it, {}, [], ephemeral, MessageFlags.Loading, true);
        it.originalId = msg.json.id;
        return { type, data: body, files, ephemeral };
      }
      case CallbackType.DeferredUpdateMessage: {
        it.originalId = it.payload.message?.id ?? null;
        return { type, data: null, files, ephemeral: this.isEphemeralMessage(it.originalId) };
      }
      case CallbackType.UpdateMessage: {
        const body = parseMessageBody(data);
        const target = it.payload.message?.id;
        if (!target) throw Errors.unknownMessage();
        this.deps.messages.edit(target, body, files);
        it.originalId = target;
        it.settled = true;
        return { type, data: body, files, ephemeral: this.isEphemeralMessage(target) };
      }
      case CallbackType.AutocompleteResult: {
        const parsed = choicesSchema.safeParse(data);
        if (!parsed.success) throw invalidFormBody(parsed.error.issues.map((i) => ({ path: ['data', ...i.path.map(String)], code: 'BASE_TYPE_BAD_TYPE', message: i.message })));
        it.settled = true;
        return { type, data: { choices: parsed.data.choices }, files, ephemeral: true };
      }
      default: {
        const parsed = modalSchema.safeParse(data);
        if (!parsed.success) throw invalidFormBody(parsed.error.issues.map((i) => ({ path: ['data', ...i.path.map(String)], code: 'BASE_TYPE_BAD_TYPE', message: i.message })));
        it.settled = true;
        return { type, data: parsed.data, files, ephemeral: true };
      }
    }
  }

  private isEphemeralMessage(id: string | null): boolean {
    return id !== null && ((this.deps.messages.get(id)?.json.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  }

  private createResponseMessage(it: IssuedInteraction, body: MessageBody, files: CapturedFile[], ephemeral: boolean, extraFlags: number, placeholder = false): StoredMessage {
    const p = it.payload;
    const user = p.member?.user ?? p.user;
    if (!user) throw new Error('interaction without a user');
    return this.deps.messages.create({
      channelId: p.channel_id,
      ...(p.guild_id ? { guildId: p.guild_id } : {}),
      author: this.deps.bot,
      body,
      files,
      ephemeral,
      // 20 = CHAT_INPUT_COMMAND reply; component/modal answers are plain messages.
      type: p.type === InteractionType.ApplicationCommand ? 20 : 0,
      extraFlags: extraFlags | (ephemeral ? MessageFlags.Ephemeral : 0),
      webhookId: this.deps.appId,
      applicationId: this.deps.appId,
      interactionMetadata: { id: p.id, type: p.type, user, authorizing_integration_owners: p.authorizing_integration_owners },
      placeholder,
    });
  }

  private callbackResponse(it: IssuedInteraction): Record<string, unknown> {
    const msg = it.originalId ? this.deps.messages.get(it.originalId)?.json : undefined;
    const cbType = it.callback?.type ?? 0;
    const hasMessage = msg !== undefined && cbType !== CallbackType.DeferredUpdateMessage;
    return {
      interaction: {
        id: it.payload.id,
        type: it.payload.type,
        ...(hasMessage
          ? {
              response_message_id: msg.id,
              response_message_loading: (msg.flags & MessageFlags.Loading) !== 0,
              response_message_ephemeral: (msg.flags & MessageFlags.Ephemeral) !== 0,
            }
          : {}),
      },
      ...(cbType === CallbackType.AutocompleteResult || cbType === CallbackType.Modal ? {} : { resource: { type: cbType, ...(hasMessage ? { message: msg } : {}) } }),
    };
  }

  /** The interaction behind a webhook token, enforcing the 15-minute token lifetime. */
  byToken(appId: string, token: string): IssuedInteraction {
    const it = [...this.byId.values()].find((i) => i.payload.token === token);
    if (!it || appId !== this.deps.appId) throw Errors.unknownWebhook();
    if (this.deps.clock.now() - it.issuedAt > TOKEN_LIFETIME_MS) throw Errors.invalidWebhookToken();
    return it;
  }

  private messageOf(it: IssuedInteraction, ref: string): StoredMessage {
    const id = ref === '@original' ? it.originalId : ref;
    const owned = id !== null && (id === it.originalId || it.followUpIds.includes(id));
    const msg = owned ? this.deps.messages.get(id) : undefined;
    if (!it.callback || !msg) throw Errors.unknownMessage();
    return msg;
  }

  getMessage(appId: string, token: string, ref: string): MessageJson {
    return this.messageOf(this.byToken(appId, token), ref).json;
  }

  editMessage(appId: string, token: string, ref: string, json: unknown, files: CapturedFile[]): MessageJson {
    const it = this.byToken(appId, token);
    const msg = this.messageOf(it, ref);
    const edited = this.deps.messages.edit(msg.json.id, parseMessageBody(json), files, MessageFlags.Loading);
    if (msg.json.id === it.originalId) it.settled = true;
    this.changed.notify();
    return edited.json;
  }

  deleteMessage(appId: string, token: string, ref: string): void {
    const it = this.byToken(appId, token);
    this.deps.messages.delete(this.messageOf(it, ref).json.id);
    this.changed.notify();
  }

  /**
   * Follow-up (POST /webhooks/{app}/{token}). Discord treats the first follow-up after a deferral that
   * is still loading as the answer: it fills the placeholder, whose ephemerality wins over the flags.
   */
  followUp(appId: string, token: string, json: unknown, files: CapturedFile[]): MessageJson {
    const it = this.byToken(appId, token);
    if (!it.callback) throw Errors.unknownWebhook();
    const body = parseMessageBody(json);
    const original = it.originalId ? this.deps.messages.get(it.originalId) : undefined;
    if (it.callback.type === CallbackType.DeferredChannelMessageWithSource && !it.settled && original) {
      const edited = this.deps.messages.edit(original.json.id, body, files, MessageFlags.Loading);
      it.settled = true;
      this.changed.notify();
      return edited.json;
    }
    const ephemeral = ((body.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    const msg = this.createResponseMessage(it, body, files, ephemeral, 0);
    it.followUpIds.push(msg.json.id);
    this.changed.notify();
    return msg.json;
  }
}
