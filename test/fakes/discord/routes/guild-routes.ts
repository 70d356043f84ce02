import { Errors } from '../api-error.js';
import type { Router } from '../router.js';
import type { WorldGuild } from '../world.js';
import type { RouteDeps } from './route-deps.js';

/** Read-only guild, channel, role and member lookups. */
export function registerGuildRoutes(router: Router, deps: RouteDeps): void {
  const guild = (id: string): WorldGuild => {
    const g = deps.world.guilds.get(id);
    if (!g) throw Errors.unknownGuild();
    return g;
  };
  router.add('GET', '/guilds/:guildId', ({ params }) => {
    guild(params.guildId!);
    const { members: _m, channels: _c, voice_states: _v, presences: _p, threads: _t, joined_at: _j, ...rest } = deps.world.guildCreate(params.guildId!)!;
    return { status: 200, json: rest };
  });
  router.add('GET', '/guilds/:guildId/channels', ({ params }) => ({ status: 200, json: guild(params.guildId!).channels }));
  router.add('GET', '/guilds/:guildId/roles', ({ params }) => ({ status: 200, json: guild(params.guildId!).roles }));
  router.add('GET', '/guilds/:guildId/members/:userId', ({ params }) => {
    const member = guild(params.guildId!).members.find((m) => m.user.id === params.userId);
    if (!member) throw Errors.unknownMember();
    return { status: 200, json: member };
  });
  router.add('GET', '/guilds/:guildId/members', ({ params, query }) => {
    const limit = Math.min(Number(query.get('limit') ?? 1), 1000);
    return { status: 200, json: guild(params.guildId!).members.slice(0, limit) };
  });
  router.add('GET', '/channels/:channelId', ({ params }) => {
    const channel = deps.world.channel(params.channelId!);
    if (!channel) throw Errors.unknownChannel();
    return { status: 200, json: channel };
  });
}
