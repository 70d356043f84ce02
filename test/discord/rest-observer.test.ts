import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordRestSample } from '../../src/core/ops/ops-model.js';
import { createRest } from '../../src/discord/rest.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { ALERTS, fakeOptions } from './bot-fixture.js';

/** Every REST call's status and duration reaches the ops model: Discord latency and 429s in /metrics. */
describe('the Discord REST observer', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('reports each answer, a 429 that discord.js waits out included, and a call that got no answer', async () => {
    const samples: DiscordRestSample[] = [];
    const rest = createRest(FAKE_BOT_TOKEN, fake.apiUrl, (s) => samples.push(s));
    fake.injectRateLimit(new RegExp(`^/channels/${ALERTS}/messages$`), 1, 0.05, { method: 'POST' });
    await rest.post(`/channels/${ALERTS}/messages`, { body: { content: 'hello' } });
    expect(samples.map((s) => [s.method, s.status])).toEqual([
      ['POST', 429],
      ['POST', 200],
    ]);
    expect(samples.every((s) => s.seconds >= 0 && s.seconds < 10)).toBe(true);

    const down = createRest(FAKE_BOT_TOKEN, 'http://127.0.0.1:9/api', (s) => samples.push(s));
    await expect(down.get(`/channels/${ALERTS}`)).rejects.toThrow();
    expect(samples.at(-1)).toMatchObject({ method: 'GET', status: 0 });
  });
});
