import { z } from 'zod';
import { invalidFormBody } from '../api-error.js';
import type { Router } from '../router.js';
import type { RouteDeps } from './route-deps.js';

/** Identity and connection routes: who the bot is and where its gateway lives. */
export function registerMetaRoutes(router: Router, deps: RouteDeps): void {
  // One shard and a generous session budget: discord.js refuses to connect when `remaining` is short.
  router.add('GET', '/gateway/bot', () => ({
    status: 200,
    json: {
      url: deps.gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
    },
  }));
  router.add('GET', '/gateway', () => ({ status: 200, json: { url: deps.gatewayUrl() } }), { auth: false });
  router.add('GET', '/users/@me', () => ({ status: 200, json: { ...deps.bot, verified: true, mfa_enabled: false, flags: 0, email: null } }));
  router.add('GET', '/users/:userId', ({ params }) => ({ status: 200, json: deps.lookupUser(params.userId!) }));
  router.add('GET', '/applications/@me', () => ({
    status: 200,
    json: {
      id: deps.appId,
      name: deps.bot.username,
      icon: null,
      description: '',
      bot_public: false,
      bot_require_code_grant: false,
      bot: deps.bot,
      owner: { ...deps.bot, bot: false, id: '1000000000000000098', username: 'owner' },
      verify_key: '0'.repeat(64),
      team: null,
      flags: 0,
      approximate_guild_count: deps.world.guilds.size,
      integration_types_config: { '0': {} },
    },
  }));
  const dmSchema = z.object({ recipient_id: z.string() });
  router.add('POST', '/users/@me/channels', ({ body }) => {
    const parsed = dmSchema.safeParse(body.json);
    if (!parsed.success) throw invalidFormBody([{ path: ['recipient_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    const user = deps.lookupUser(parsed.data.recipient_id);
    return { status: 200, json: deps.world.dmChannel({ id: user.id, username: user.username }) };
  });
}
