import type { UserJson } from './json-types.js';
import type { AllowedMentions } from './message-body.js';

export interface ResolvedMentions {
  users: UserJson[];
  roles: string[];
  everyone: boolean;
}

/**
 * Who a message actually pings, after `allowed_mentions`: Discord parses every mention when the field
 * is absent, and only the listed kinds/ids when present. Tests read this from the stored message's
 * `mentions`, `mention_roles` and `mention_everyone` to check that the bot "pings nobody".
 */
export function resolveMentions(
  content: string,
  allowed: AllowedMentions | null | undefined,
  lookupUser: (id: string) => UserJson,
): ResolvedMentions {
  const parseAll = allowed == null;
  const parse = new Set(allowed?.parse ?? []);
  const userAllowed = (id: string): boolean => parseAll || parse.has('users') || (allowed?.users ?? []).includes(id);
  const roleAllowed = (id: string): boolean => parseAll || parse.has('roles') || (allowed?.roles ?? []).includes(id);

  const userIds = new Set([...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1]!));
  const roleIds = new Set([...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1]!));
  return {
    users: [...userIds].filter(userAllowed).map(lookupUser),
    roles: [...roleIds].filter(roleAllowed),
    everyone: /@(everyone|here)\b/.test(content) && (parseAll || parse.has('everyone')),
  };
}
