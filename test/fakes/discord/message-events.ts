import type { FakeGateway } from './gateway.js';
import type { MessageStore } from './message-store.js';

const GUILD_MESSAGES = 1 << 9;
const DIRECT_MESSAGES = 1 << 12;

/**
 * Mirrors stored messages to the gateway as MESSAGE_CREATE/UPDATE/DELETE, only for sessions that
 * asked for the matching intent (a Guilds-only bot, like delta-ops, gets none). Ephemeral messages
 * never reach the gateway.
 */
export function wireMessageEvents(messages: MessageStore, gateway: FakeGateway): () => void {
  return messages.subscribe(({ kind, message }) => {
    if (message.ephemeral) return;
    const guildId = message.json.guild_id ?? null;
    const session = gateway.sessionFor(guildId);
    if (!session || (session.intents & (guildId ? GUILD_MESSAGES : DIRECT_MESSAGES)) === 0) return;
    if (kind === 'delete') {
      gateway.emit(session, 'MESSAGE_DELETE', { id: message.json.id, channel_id: message.json.channel_id, ...(guildId ? { guild_id: guildId } : {}) });
      return;
    }
    gateway.emit(session, kind === 'create' ? 'MESSAGE_CREATE' : 'MESSAGE_UPDATE', message.json);
  });
}
