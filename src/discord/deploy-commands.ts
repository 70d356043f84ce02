import { Routes, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { EnvConfig } from '../config/env.js';
import type { Command } from '../present/command.js';
import type { KvStore } from '../core/ports/store.js';
import { commandsHash, toCommandBodies, type CommandBody, type CommandScope } from './command-data.js';
import { createRest } from './rest.js';

/** KvStore key of the hash of the definitions last registered. */
export const COMMANDS_HASH_KEY = 'discord.commandsHash';

/** The application id: DISCORD_APP_ID when set, else asked from Discord (the bot token identifies it). */
export async function resolveAppId(rest: REST, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const app = (await rest.get(Routes.currentApplication())) as { id?: unknown };
  if (typeof app.id !== 'string') throw new Error('Discord did not return the application id; set DISCORD_APP_ID');
  return app.id;
}

/** Overwrites every command in the scope (guild: instant; global: may take up to an hour to show). */
export async function putCommands(rest: REST, scope: CommandScope, bodies: readonly CommandBody[]): Promise<number> {
  const route = scope.guildId ? Routes.applicationGuildCommands(scope.appId, scope.guildId) : Routes.applicationCommands(scope.appId);
  const res = await rest.put(route, { body: bodies });
  return Array.isArray(res) ? res.length : bodies.length;
}

export interface DeployResult {
  registered: boolean;
  count: number;
  hash: string;
  scope: 'guild' | 'global';
}

/**
 * Registers the commands when their definitions (or the scope) changed since the last registration,
 * or always with `force` (`npm run deploy-commands`). The hash is stored only after Discord accepted
 * the definitions, so a failed registration is retried at the next start.
 */
export async function deployCommands<C>(deps: {
  rest: REST;
  kv: KvStore;
  scope: CommandScope;
  commands: readonly Command<C>[];
  logger: Logger;
  force?: boolean;
}): Promise<DeployResult> {
  const bodies = toCommandBodies(deps.commands);
  const hash = commandsHash(bodies, deps.scope);
  const where = deps.scope.guildId ? 'guild' : 'global';
  const log = deps.logger.child({ job: 'deploy-commands', scope: where, ...(deps.scope.guildId ? { guild: deps.scope.guildId } : {}) });
  if (!deps.force && (await deps.kv.get(COMMANDS_HASH_KEY)) === hash) {
    log.info({ commands: bodies.length, hash: hash.slice(0, 12) }, 'slash commands unchanged; not re-registered');
    return { registered: false, count: bodies.length, hash, scope: where };
  }
  const count = await putCommands(deps.rest, deps.scope, bodies);
  await deps.kv.set(COMMANDS_HASH_KEY, hash);
  log.info({ commands: count, hash: hash.slice(0, 12) }, 'slash commands registered');
  return { registered: true, count, hash, scope: where };
}

/** What `deployCommandsNow` needs from the app (App satisfies it). */
export interface DeployHost<C> {
  config: { env: Pick<EnvConfig, 'DISCORD_TOKEN' | 'DISCORD_APP_ID' | 'DISCORD_GUILD_ID' | 'DISCORD_API_URL'> };
  commands: readonly Command<C>[];
  store: { kv: KvStore };
  logger: Logger;
}

/**
 * `npm run deploy-commands`: registers now, whatever the stored hash says, and stores the new hash
 * so the next start does not register again.
 */
export async function deployCommandsNow<C>(app: DeployHost<C>): Promise<DeployResult> {
  const env = app.config.env;
  if (!env.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set: deploy-commands needs the bot token');
  const rest = createRest(env.DISCORD_TOKEN, env.DISCORD_API_URL);
  const appId = await resolveAppId(rest, env.DISCORD_APP_ID);
  const scope = { appId, ...(env.DISCORD_GUILD_ID ? { guildId: env.DISCORD_GUILD_ID } : {}) };
  return deployCommands({ rest, kv: app.store.kv, scope, commands: app.commands, logger: app.logger, force: true });
}
