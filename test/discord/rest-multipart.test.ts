// Loaded first on purpose, as in src/main.ts: the app's undici (7, for the venue adapters) installs the
// process-wide dispatcher before discord.js's own undici does.
import '../../src/venues/http/http-client.js';
import { Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRest } from '../../src/discord/rest.js';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { ALERTS, fakeOptions } from './bot-fixture.js';

describe('posting files with the app’s undici loaded first', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('the process-wide dispatcher is undici 7’s (the condition that broke every attachment)', () => {
    expect(Symbol.for('undici.globalDispatcher.2') in globalThis).toBe(true);
  });

  it('a message with a text file and a PNG arrives whole, the JSON body included', async () => {
    const rest = createRest(FAKE_BOT_TOKEN, fake.apiUrl);
    const text = Buffer.from('id  severity\nk3v9  WARN\n'.repeat(5000), 'utf8');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const posted = (await rest.post(Routes.channelMessages(ALERTS), {
      body: { content: 'storm', nonce: 'doMULTIPART00001', enforce_nonce: true, attachments: [{ id: 0, filename: 'alerts.txt' }, { id: 1, filename: 'chart.png' }] },
      files: [
        { name: 'alerts.txt', data: text, contentType: 'text/plain; charset=utf-8' },
        { name: 'chart.png', data: png, contentType: 'image/png' },
      ],
    })) as { id: string };
    const stored = fake.message(posted.id);
    expect(stored?.json.content).toBe('storm');
    expect(stored?.json.nonce).toBe('doMULTIPART00001');
    expect(stored?.files.map((f) => [f.filename, f.contentType.split(';')[0], f.bytes.length])).toEqual([
      ['alerts.txt', 'text/plain', text.length],
      ['chart.png', 'image/png', png.length],
    ]);
    expect(stored?.files[0]?.bytes.equals(text)).toBe(true);
    expect(stored?.files[1]?.bytes.equals(png)).toBe(true);
  });

  it('requests without files are unchanged (JSON)', async () => {
    const rest = createRest(FAKE_BOT_TOKEN, fake.apiUrl);
    const posted = (await rest.post(Routes.channelMessages(ALERTS), { body: { content: 'plain' } })) as { id: string };
    expect(fake.message(posted.id)?.json.content).toBe('plain');
    expect(fake.requestsTo('POST', /^\/channels\/\d+\/messages$/).at(-1)?.headers['content-type']).toBe('application/json');
  });
});
