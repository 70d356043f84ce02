import type { InteractionCallback, InteractionRegistry, IssuedInteraction } from './interaction-registry.js';
import type { InteractionJson, MessageJson } from './json-types.js';
import type { MessageStore, StoredMessage } from './message-store.js';
import { waitUntil } from './wait.js';

/** How an interaction ended up, as the user would see it. */
export interface InteractionOutcome {
  callback: InteractionCallback;
  /** The visible answer (reply, edited placeholder, updated message); null for autocomplete/modal. */
  message: MessageJson | null;
  ephemeral: boolean;
}

export const DEFAULT_WAIT_MS = 5_000;

/** A test's grip on one injected interaction. */
export class InteractionHandle {
  constructor(
    readonly payload: InteractionJson,
    private readonly registry: InteractionRegistry,
    private readonly messages: MessageStore,
  ) {}

  get id(): string {
    return this.payload.id;
  }

  get token(): string {
    return this.payload.token;
  }

  private get state(): IssuedInteraction {
    const it = this.registry.get(this.payload.id);
    if (!it) throw new Error(`interaction ${this.payload.id} was never issued`);
    return it;
  }

  /** Resolves when the bot has answered the callback (reply, defer, update, choices, modal). */
  reply(timeoutMs = DEFAULT_WAIT_MS): Promise<InteractionCallback> {
    return waitUntil(() => this.state.callback ?? undefined, this.registry.changed.subscribe, timeoutMs, () => `${this.describe()}: no interaction callback yet`);
  }

  /** Resolves when the answer is final: immediately for a reply/update, after the edit for a deferral. */
  final(timeoutMs = DEFAULT_WAIT_MS): Promise<InteractionOutcome> {
    return waitUntil(
      () => {
        const it = this.state;
        if (!it.callback || !it.settled) return undefined;
        const makesMessage = it.callback.type >= 4 && it.callback.type <= 7;
        const message = makesMessage && it.originalId ? (this.messages.get(it.originalId)?.json ?? null) : null;
        return { callback: it.callback, message, ephemeral: it.callback.ephemeral };
      },
      this.registry.changed.subscribe,
      timeoutMs,
      () => `${this.describe()}: ${this.state.callback ? `callback type ${this.state.callback.type} but not settled (deferred, never edited?)` : 'no callback yet'}`,
    );
  }

  /** The message `@original` points at, if any. */
  original(): StoredMessage | undefined {
    const id = this.state.originalId;
    return id ? this.messages.get(id) : undefined;
  }

  followUps(): StoredMessage[] {
    return this.state.followUpIds.flatMap((id) => this.messages.get(id) ?? []);
  }

  private describe(): string {
    const name = typeof this.payload.data.name === 'string' ? `/${this.payload.data.name}` : String(this.payload.data.custom_id ?? '');
    return `interaction ${this.payload.id} (type ${this.payload.type} ${name})`;
  }
}
