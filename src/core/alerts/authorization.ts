import type { Actor } from '../ports/actor.js';

/**
 * Who may acknowledge, resolve and silence. Each transport implements it (Discord: configured admin
 * roles and users); the service asks it again for every action, whatever the transport already
 * checked, so no path reaches an action unchecked.
 */
export interface AuthorizationPort {
  canAdminister(actor: Actor): boolean;
}

/**
 * Trusts the flag the transport set on the actor. Right for the local console (the local user is an
 * admin) and for transports whose own check produced `isAdmin`.
 */
export const actorFlagAuthorization: AuthorizationPort = {
  canAdminister: (actor) => actor.isAdmin,
};

/** Why an action was refused when the actor lacks the rights. */
export const NOT_AN_ADMIN = 'not an admin';

/**
 * The audit detail of a refusal, one line that stands on its own: who was refused, what they tried and
 * why (`refused bob (1300…): acknowledge alert k3v9 with the Acknowledge button … — not an admin`).
 */
export function refusalDetail(actor: Pick<Actor, 'id' | 'name'>, what: string, why: string): string {
  return `refused ${actor.name} (${actor.id}): ${what} — ${why}`;
}
