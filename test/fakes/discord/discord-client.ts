import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { ClientOptions } from 'discord.js';
import type { FakeDiscord } from './harness.js';

export const FAKE_BOT_TOKEN = 'fake-bot-token';

/**
 * The client options that point a real discord.js Client at the fake. Only `rest.api` is needed:
 * the gateway URL comes from GET /gateway/bot, and without the optional `zlib-sync` package
 * discord.js connects with `?v=10&encoding=json` and no compression.
 */
export function fakeClientOptions(fake: FakeDiscord, extra: Partial<ClientOptions> = {}): ClientOptions {
  return {
    intents: [GatewayIntentBits.Guilds],
    ...extra,
    rest: { ...extra.rest, api: fake.apiUrl },
  };
}

/** Logs a real discord.js Client into the fake and resolves once it is ready (READY + guilds). */
export async function connectDiscordClient(fake: FakeDiscord, extra: Partial<ClientOptions> = {}, token = FAKE_BOT_TOKEN): Promise<Client<true>> {
  const client = new Client(fakeClientOptions(fake, extra));
  const ready = once(client, Events.ClientReady);
  try {
    await client.login(token);
    await ready;
  } catch (err) {
    await client.destroy();
    throw err;
  }
  if (!client.isReady()) throw new Error('discord.js client did not become ready');
  return client;
}
