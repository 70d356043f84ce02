import type { FakeDiscordOptions } from '../fakes/discord/index.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';

export const GUILD = '1200000000000000001';
export const OPS = '1200000000000000010';
export const ADMIN_ROLE = '1200000000000000100';
export const ALICE = { id: '1300000000000000001', username: 'alice' };
export const BOB = { id: '1300000000000000002', username: 'bob' };

export const fixtureOptions = (extra: Partial<FakeDiscordOptions> = {}): FakeDiscordOptions => ({
  guilds: [
    {
      id: GUILD,
      name: 'desk',
      roles: [{ id: ADMIN_ROLE, name: 'ops-admin', permissions: '8' }],
      channels: [{ id: OPS, name: 'ops' }],
      members: [{ user: BOB, roles: [ADMIN_ROLE] }],
    },
  ],
  token: FAKE_BOT_TOKEN,
  ...extra,
});

/** A REST call the way a bot makes it: JSON body, bot token. */
export async function api(
  apiUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bot ${FAKE_BOT_TOKEN}` },
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const res = await fetch(`${apiUrl}/v10${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null, headers: res.headers };
}
