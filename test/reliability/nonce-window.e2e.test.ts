import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { startCli, tempDir } from '../helpers/run-cli.js';
import { ADMIN_ROLE, ALERTS, fakeOptions, GUILD } from '../discord/bot-fixture.js';
import { messageText } from '../discord/e2e-helpers.js';

const FIXTURE = 'test/fixtures/reliability-outage.yaml';
const POST_ALERTS = new RegExp(`^/channels/${ALERTS}/messages$`);
/** Discord deduplicates a nonce for a few minutes; this one for 200 ms, so the restart comes after it. */
const NONCE_WINDOW_MS = 200;

/**
 * The sender dies after Discord created its message but before the answer came back, and is restarted
 * after Discord's nonce window: re-posting with the same nonce would make a second message. The
 * restarted sender finds the first one by the marker every message carries and does not post again.
 */
describe('exactly once past the nonce window', () => {
  let fake: FakeDiscord;
  let dir: string;
  const children: ReturnType<typeof startCli>[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord({ ...fakeOptions(), nonceWindowMs: NONCE_WINDOW_MS });
    dir = tempDir('delta-ops-nonce-');
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a message posted by a sender that died mid-post is not posted again', async () => {
    const env = { DISCORD_TOKEN: FAKE_BOT_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: GUILD, ALERT_CHANNEL_ID: ALERTS, ADMIN_ROLE_IDS: ADMIN_ROLE, DELTA_OPS_DB: join(dir, 'bot.sqlite'), LOG_LEVEL: 'info' };
    const first = startCli(['--config', FIXTURE], env);
    children.push(first);
    const died = new Promise((r) => first.child.once('exit', r));
    fake.injectLostResponse(POST_ALERTS, 1, { method: 'POST', then: () => first.child.kill('SIGKILL') });
    await died;
    expect(fake.channelMessages(ALERTS)).toHaveLength(1);
    const posted = messageText(fake.channelMessages(ALERTS)[0]!.json);
    expect(posted).toContain('BTC deviation 10.0%');
    // Past the window: Discord would now accept the same nonce as a new message.
    await new Promise((r) => setTimeout(r, NONCE_WINDOW_MS * 3));

    const second = startCli(['--config', FIXTURE], env);
    children.push(second);
    await second.waitFor(/already in the channel \(its sender died mid-post\): not posted again/, 60_000);
    // Alerts B and C of the fixture follow; the first is still there once.
    await second.waitFor(/"notified":1,.*"msg":"alerts evaluated"/, 60_000);
    const texts = fake.channelMessages(ALERTS).map((m) => messageText(m.json));
    expect(texts.filter((t) => t.includes('BTC deviation 10.0%'))).toHaveLength(1);
    const posts = fake.requestsTo('POST', POST_ALERTS);
    const firstNonce = (posts[0]!.body as { nonce?: string }).nonce;
    expect(posts.filter((p) => (p.body as { nonce?: string }).nonce === firstNonce)).toHaveLength(1);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 150_000);
});
