import type { EnvConfig } from '../config/env.js';
import { ErrorCode } from '../core/errors.js';
import type { Actor } from '../core/ports/actor.js';
import type { Cooldown } from './cooldown.js';

/** Who may use the bot where, and who is an admin. */
export interface AccessPolicy {
  /** Guilds whose commands are answered; empty means any guild (startDiscord warns about it). */
  allowedGuildIds: readonly string[];
  adminRoleIds: readonly string[];
  adminUserIds: readonly string[];
}

export function accessPolicy(env: Pick<EnvConfig, 'ALLOWED_GUILD_IDS' | 'DISCORD_GUILD_ID' | 'ADMIN_ROLE_IDS' | 'ADMIN_USER_IDS'>): AccessPolicy {
  const allowed = env.ALLOWED_GUILD_IDS.length ? env.ALLOWED_GUILD_IDS : env.DISCORD_GUILD_ID ? [env.DISCORD_GUILD_ID] : [];
  return { allowedGuildIds: allowed, adminRoleIds: env.ADMIN_ROLE_IDS, adminUserIds: env.ADMIN_USER_IDS };
}

/** The facts of an interaction the gate decides on, taken from discord.js by the router. */
export interface Requester {
  userId: string;
  userName: string;
  /** null in a DM. */
  guildId: string | null;
  channelId: string | null;
  roleIds: readonly string[];
}

export type RefusalReason = 'dm' | 'guild' | 'cooldown';

export interface Refusal {
  code: typeof ErrorCode.PermissionDenied | typeof ErrorCode.TooManyRequests;
  reason: RefusalReason;
  /** User-safe. */
  message: string;
}

export type GateDecision = { ok: true; actor: Actor } | { ok: false; actor: Actor; refusal: Refusal };

export function isAdmin(r: Requester, policy: AccessPolicy): boolean {
  return policy.adminUserIds.includes(r.userId) || r.roleIds.some((id) => policy.adminRoleIds.includes(id));
}

export function actorOf(r: Requester, policy: AccessPolicy): Actor {
  return { id: r.userId, name: r.userName, source: `discord:${r.guildId ?? 'dm'}/${r.channelId ?? '?'}`, isAdmin: r.guildId !== null && isAdmin(r, policy) };
}

/** DMs and guilds outside the allow-list are refused for everything (commands, buttons, autocomplete). */
export function placeRefusal(r: Requester, policy: AccessPolicy): Refusal | undefined {
  if (r.guildId === null) return { code: ErrorCode.PermissionDenied, reason: 'dm', message: 'delta-ops only answers inside its server, not in direct messages.' };
  if (policy.allowedGuildIds.length > 0 && !policy.allowedGuildIds.includes(r.guildId)) {
    return { code: ErrorCode.PermissionDenied, reason: 'guild', message: 'delta-ops is not enabled in this server.' };
  }
  return undefined;
}

/**
 * What every slash command needs before it runs: the right place (guild allow-list, no DMs, 3001), then
 * the per-user cooldown (3002). The actor it returns carries `isAdmin` (admin role or admin user); the
 * admin check itself, with the audit of a refusal, is executeCommand's, shared with the console.
 */
export class CommandGate {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly cooldown: Cooldown,
  ) {}

  check(r: Requester): GateDecision {
    const actor = actorOf(r, this.policy);
    const place = placeRefusal(r, this.policy);
    if (place) return { ok: false, actor, refusal: place };
    const waitMs = this.cooldown.take(r.userId);
    if (waitMs > 0) {
      const s = Math.max(1, Math.ceil(waitMs / 1000));
      return { ok: false, actor, refusal: { code: ErrorCode.TooManyRequests, reason: 'cooldown', message: `Too many requests: wait ${s} s before the next command.` } };
    }
    return { ok: true, actor };
  }
}
