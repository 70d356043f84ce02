import { DiscordAPIError, Routes, type REST } from 'discord.js';
import type { Actor } from '../core/ports/actor.js';
import { isAdmin, type AccessPolicy, type Requester } from './command-gate.js';

/**
 * Who clicked a button in a direct message (an escalation DM), as an actor: a DM carries no member, so
 * the user's roles are read from their member in the server (GET /guilds/{guild}/members/{user}, the
 * first of `guildIds` they belong to) and checked against the admin roles and users as everywhere else.
 * Undefined when they are a member of none of them.
 */
export function dmButtonActor(rest: REST, policy: AccessPolicy, guildIds: readonly string[]): (r: Requester) => Promise<Actor | undefined> {
  return async (r) => {
    for (const guildId of guildIds) {
      let member: { roles?: unknown };
      try {
        member = (await rest.get(Routes.guildMember(guildId, r.userId))) as { roles?: unknown };
      } catch (err) {
        // 10007 Unknown Member (or the bot is not in that guild): try the next one.
        if (err instanceof DiscordAPIError && (err.status === 404 || err.status === 403)) continue;
        throw err;
      }
      const roleIds = Array.isArray(member.roles) ? member.roles.filter((x): x is string => typeof x === 'string') : [];
      return { id: r.userId, name: r.userName, source: `discord:dm/${r.channelId ?? '?'}`, isAdmin: isAdmin({ ...r, guildId, roleIds }, policy) };
    }
    return undefined;
  };
}
