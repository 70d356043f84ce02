import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/driver.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { startCli, tempDir } from '../helpers/run-cli.js';
import { ADMIN_ROLE, ALERTS, fakeOptions, GUILD } from '../discord/bot-fixture.js';
import { messageText } from '../discord/e2e-helpers.js';
import { until } from './wait.js';

const FIXTURE = 'test/fixtures/reliability-outage.yaml';
const POST_ALERTS = new RegExp(`^/channels/${ALERTS}/messages$`);

interface Row {
  id: number;
  idempotency_key: string;
  status: string;
  attempts: number;
  payload: string;
}

/**
 * The real entry point (src/main.ts through tsx) against the Discord fake, through an outage:
 *  1. the bot starts and connects; the post of the first alert (A) reaches Discord, which creates the
 *     message, but the answer is lost and Discord goes down right there;
 *  2. alerts B and C fire during the outage and wait in the outbox;
 *  3. SIGKILL;
 *  4. a restart while Discord is still down: the process must keep running (no exit, so no crash loop
 *     under a supervisor), keep evaluating, and raise D;
 *  5. Discord comes back: A (found in the channel by its marker, not posted again), B, C and D each
 *     appear exactly once.
 * Time is compressed (1 s ticks, groupWait 0): the ~20 ticks of the outage stand for ten minutes of
 * production ticks at 30 s.
 */
describe('Discord unreachable, SIGKILL and restart in the middle', () => {
  let fake: FakeDiscord;
  let dir: string;
  let env: Record<string, string>;
  let dbPath: string;
  const children: ReturnType<typeof startCli>[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
    dir = tempDir('delta-ops-outage-');
    dbPath = join(dir, 'bot.sqlite');
    env = { DISCORD_TOKEN: FAKE_BOT_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_GUILD_ID: GUILD, ALERT_CHANNEL_ID: ALERTS, ADMIN_ROLE_IDS: ADMIN_ROLE, DELTA_OPS_DB: dbPath };
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The outbox as the bot wrote it, read through a second (read-only) connection. */
  const outbox = (): Row[] => {
    const db = openSqlite(dbPath, { readonly: true });
    try {
      return db.prepare("SELECT id, idempotency_key, status, attempts, payload FROM outbox WHERE kind = 'fire' ORDER BY id").all() as Row[];
    } finally {
      db.close();
    }
  };
  const shortIds = (r: Row): string[] => (JSON.parse(r.payload) as { alerts: { shortId: string }[] }).alerts.map((a) => a.shortId);
  const exited = (c: ReturnType<typeof startCli>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
    new Promise((done) => c.child.once('exit', (code, signal) => done({ code, signal })));

  it('delivers every alert raised exactly once', async () => {
    fake.injectLostResponse(POST_ALERTS, 1, { method: 'POST', then: () => fake.goDown() });

    const first = startCli(['--config', FIXTURE], env);
    children.push(first);
    await first.waitFor(/"msg":"connected to Discord"/);
    // A was accepted but unconfirmed; B and C never reached Discord.
    await until('A, B and C in the outbox', () => outbox().length >= 3);
    const firstExit = exited(first);
    first.child.kill('SIGKILL');
    expect(await firstExit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(fake.isDown).toBe(true);
    const beforeRestart = outbox();
    expect(beforeRestart.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    expect(fake.channelMessages(ALERTS)).toHaveLength(1);

    const second = startCli(['--config', FIXTURE], env);
    children.push(second);
    await second.waitFor(/Discord unreachable at start: the engine runs/);
    await until('D raised by the restarted process', () => outbox().length >= 4);
    expect(second.child.exitCode).toBeNull();
    expect(fake.channelMessages(ALERTS)).toHaveLength(1);

    fake.comeUp();
    await until('every row sent', () => outbox().every((r) => r.status === 'sent'), 20_000);
    await second.waitFor(/"msg":"connected to Discord"/);

    const rows = outbox();
    expect(rows).toHaveLength(4);
    const ids = rows.map(shortIds);
    expect(ids.every((x) => x.length === 1)).toBe(true);
    const messages = fake.channelMessages(ALERTS);
    expect(messages).toHaveLength(4);
    // Each alert appears in exactly one message, and each message is one outbox row's (its nonce).
    for (const [i, [id]] of ids.entries()) {
      expect(messages.filter((m) => messageText(m.json).includes(`[${id!}]`))).toHaveLength(1);
      expect(messages.filter((m) => m.json.nonce === rows[i]!.idempotency_key)).toHaveLength(1);
    }
    expect(messageText(messages[0]!.json)).toContain('BTC deviation 10.0%');

    // A reached Discord once (its answer lost): its row stayed marked in flight, so the restarted
    // process looked for it by its delivery marker, found it and did not post it again.
    const posts = fake.requestsTo('POST', POST_ALERTS).filter((r) => r.status !== 0 || r.fault === 'lost-response');
    const noncesOfA = posts.filter((r) => (r.body as { nonce?: string }).nonce === rows[0]!.idempotency_key);
    expect(noncesOfA).toHaveLength(1);
    expect(noncesOfA[0]!.fault).toBe('lost-response');
    expect(second.output()).toMatch(new RegExp(`"id":${rows[0]!.id},[^\\n]*already in the channel \\(its sender died mid-post\\): not posted again`));
    expect(new Set(posts.map((r) => (r.body as { nonce?: string }).nonce)).size).toBe(4);

    const secondExit = exited(second);
    second.child.kill('SIGTERM');
    expect((await secondExit).code).toBe(0);
    expect(second.output()).not.toMatch(/"level":(50|60)/);
  }, 120_000);
});
