import { Errors } from '../api-error.js';
import type { ChannelJson } from '../json-types.js';
import { parseMessageBody } from '../message-body.js';
import type { StoredMessage } from '../message-store.js';
import type { Router } from '../router.js';
import type { RouteDeps } from './route-deps.js';

/** Channel messages: create (with enforce_nonce), fetch, list, edit, delete, typing. */
export function registerChannelMessageRoutes(router: Router, deps: RouteDeps): void {
  const channel = (id: string): ChannelJson => {
    const c = deps.world.channel(id);
    if (!c) throw Errors.unknownChannel();
    return c;
  };
  const message = (channelId: string, id: string): StoredMessage => {
    const m = deps.messages.get(id);
    if (!m || m.ephemeral || m.json.channel_id !== channelId) throw Errors.unknownMessage();
    return m;
  };

  router.add('POST', '/channels/:channelId/messages', ({ params, body }) => {
    const ch = channel(params.channelId!);
    const parsed = parseMessageBody(body.json);
    // Discord: with enforce_nonce, the same author + nonce within a few minutes returns the first
    // message and creates nothing — what makes a retried post idempotent.
    if (parsed.enforce_nonce === true && parsed.nonce != null) {
      const existing = deps.messages.findByNonce(deps.bot.id, parsed.nonce);
      if (existing) return { status: 200, json: existing.json };
    }
    const created = deps.messages.create({
      channelId: ch.id,
      ...(ch.guild_id ? { guildId: ch.guild_id } : {}),
      author: deps.bot,
      body: parsed,
      files: body.files,
    });
    ch.last_message_id = created.json.id;
    return { status: 200, json: created.json };
  });

  router.add('GET', '/channels/:channelId/messages/:messageId', ({ params }) => {
    channel(params.channelId!);
    return { status: 200, json: message(params.channelId!, params.messageId!).json };
  });

  router.add('GET', '/channels/:channelId/messages', ({ params, query }) => {
    channel(params.channelId!);
    const limit = Math.max(1, Math.min(Number(query.get('limit') ?? 50), 100));
    const before = query.get('before');
    const after = query.get('after');
    const list = deps.messages
      .visibleIn(params.channelId!)
      .filter((m) => (before === null || BigInt(m.json.id) < BigInt(before)) && (after === null || BigInt(m.json.id) > BigInt(after)))
      .reverse();
    return { status: 200, json: (after === null ? list.slice(0, limit) : list.slice(-limit)).map((m) => m.json) };
  });

  router.add('PATCH', '/channels/:channelId/messages/:messageId', ({ params, body }) => {
    channel(params.channelId!);
    const m = message(params.channelId!, params.messageId!);
    if (m.json.author.id !== deps.bot.id) throw Errors.cannotEditOthers();
    return { status: 200, json: deps.messages.edit(m.json.id, parseMessageBody(body.json), body.files).json };
  });

  router.add('DELETE', '/channels/:channelId/messages/:messageId', ({ params }) => {
    channel(params.channelId!);
    deps.messages.delete(message(params.channelId!, params.messageId!).json.id);
    return { status: 204 };
  });

  router.add('POST', '/channels/:channelId/typing', ({ params }) => {
    channel(params.channelId!);
    return { status: 204 };
  });
}
