import { ApiError, Errors } from '../api-error.js';
import type { Router } from '../router.js';
import type { RouteDeps } from './route-deps.js';

/** Global and guild application commands (bulk overwrite, create, list). */
export function registerApplicationCommandRoutes(router: Router, deps: RouteDeps): void {
  const app = (appId: string): void => {
    if (appId !== deps.appId) throw new ApiError(403, 50001, 'Missing Access');
  };
  const guild = (guildId: string): string => {
    if (!deps.world.guilds.has(guildId)) throw Errors.unknownGuild();
    return guildId;
  };
  router.add('GET', '/applications/:appId/commands', ({ params }) => {
    app(params.appId!);
    return { status: 200, json: deps.commands.list(null) };
  });
  router.add('PUT', '/applications/:appId/commands', ({ params, body }) => {
    app(params.appId!);
    return { status: 200, json: deps.commands.bulkOverwrite(deps.appId, null, body.json) };
  });
  router.add('POST', '/applications/:appId/commands', ({ params, body }) => {
    app(params.appId!);
    return { status: 201, json: deps.commands.create(deps.appId, null, body.json) };
  });
  router.add('GET', '/applications/:appId/guilds/:guildId/commands', ({ params }) => {
    app(params.appId!);
    return { status: 200, json: deps.commands.list(guild(params.guildId!)) };
  });
  router.add('PUT', '/applications/:appId/guilds/:guildId/commands', ({ params, body }) => {
    app(params.appId!);
    return { status: 200, json: deps.commands.bulkOverwrite(deps.appId, guild(params.guildId!), body.json) };
  });
  router.add('POST', '/applications/:appId/guilds/:guildId/commands', ({ params, body }) => {
    app(params.appId!);
    return { status: 201, json: deps.commands.create(deps.appId, guild(params.guildId!), body.json) };
  });
}
