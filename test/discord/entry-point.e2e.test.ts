import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { runCli, startCli, tempDir } from '../helpers/run-cli.js';
import { ADMIN_ROLE, ALERTS, fakeOptions, GUILD, SCENARIO, user } from './bot-fixture.js';
import { messageText } from './e2e-helpers.js';

/** The real entry point (src/main.ts through tsx) with DISCORD_TOKEN set, against the fake. */
describe('src/main.ts with DISCORD_TOKEN', () => {
  let fake: FakeDiscord;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeDiscord(fakeOptions());
    env = {
      DISCORD_TOKEN: FAKE_BOT_TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_GUILD_ID: GUILD,
      ALERT_CHANNEL_ID: ALERTS,
      ADMIN_ROLE_IDS: ADMIN_ROLE,
      DELTA_OPS_DB: join(tempDir(), 'main.sqlite'),
    };
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('deploy-commands registers the commands and exits', async () => {
    const r = await runCli(['--config', SCENARIO, 'deploy-commands'], env);
    expect(r.stderr).not.toContain(FAKE_BOT_TOKEN);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('registered 12 slash commands (guild)\n');
    expect(fake.registeredCommands(GUILD)).toHaveLength(12);
  });

  it('starts the bot: commands are answered, alerts are posted, SIGTERM stops it cleanly', async () => {
    const cli = startCli(['--config', SCENARIO], env);
    try {
      await cli.waitFor(/"msg":"connected to Discord"/);
      // deploy-commands stored the hash in the same database: the start does not register again.
      await cli.waitFor(/slash commands unchanged; not re-registered/);
      const alert = await fake.waitForMessage(ALERTS, () => true, 20_000);
      expect(messageText(alert.json)).toContain('Alerts: 1 CRITICAL, 2 WARN');
      const out = await fake.sendSlashCommand({ name: 'status', user: user(900) }).final();
      expect(messageText(out.message)).toContain('Portfolio equity $35,000.00 · utilization 44.29%');
      const exited = new Promise<number | null>((done) => cli.child.on('exit', (code) => done(code)));
      cli.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(cli.output()).toContain('disconnected from Discord');
      expect(cli.output()).not.toContain(FAKE_BOT_TOKEN);
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  });

  it('a wrong token fails the start with one line and exit 1', async () => {
    const bad = await startFakeDiscord({ ...fakeOptions(), token: 'the-right-token' });
    try {
      const r = await runCli(['--config', SCENARIO], { ...env, DISCORD_API_URL: bad.apiUrl, DELTA_OPS_DB: join(tempDir(), 'bad.sqlite') });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^delta-ops: cannot connect to Discord: .+$/m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await bad.close();
    }
  });
});
