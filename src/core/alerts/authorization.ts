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
