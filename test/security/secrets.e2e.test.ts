import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { openSqlite } from '../../src/store/sqlite/driver.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { BinanceLikeFake } from '../fakes/venues/binance-like-fake.js';
import { ConnectProxy } from '../fakes/venues/connect-proxy.js';
import { PacificaFake } from '../fakes/venues/pacifica-fake.js';
import { runCli, startCli, tempDir, type CliResult } from '../helpers/run-cli.js';
import { ALERTS, fakeOptions, GUILD, user } from '../discord/bot-fixture.js';
import { slash } from '../discord/e2e-helpers.js';

/*
 * The real entry point run with known secret values, against loopback fakes, through the error paths
 * that tend to leak them: a Binance key whose secret is wrong (signature rejected, -1022), an account
 * behind a proxy that refuses connections (proxy URL with user:password), an account behind a working
 * proxy with credentials, Pacifica's API key, Discord's token, and a second start with a token Discord
 * rejects (401). Everything is captured: stdout and stderr of every run at LOG_LEVEL=trace (the bot,
 * `--once`, `doctor`, the rejected start), every table of every database, the raw database files, and
 * every body the bot sent to Discord. No secret may appear, raw or encoded.
 */
const S = {
  discordToken: 'dT0ken.S3cr3t-Discord+token/with=chars',
  goodKey: 'bnKEY-s3cr3t-good-4f9a1c',
  goodSecret: 'bnSECRET/s3cr3t+good=8d2e',
  badKey: 'bnKEY-s3cr3t-bad-77e1b0',
  wrongSecret: 'bnSECRET-s3cr3t-WRONG-19ab',
  proxyKey: 'bnKEY-s3cr3t-proxied-5c3d',
  proxySecret: 'bnSECRET-s3cr3t-proxied-0a0a',
  deadKey: 'bnKEY-s3cr3t-deadproxy-6e6e',
  deadSecret: 'bnSECRET-s3cr3t-deadproxy-9f9f',
  pacificaKey: 'pfAPIKEY-s3cr3t-31337',
  proxyPassword: 'pr0xyPa55-s3cr3t',
  deadProxyPassword: 'd3adPa55-s3cr3t',
};

/** Every way a secret could show up: raw, URL-encoded, base64 (Basic / Proxy-Authorization), JSON-escaped. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), JSON.stringify(secret).slice(1, -1)])];
}

async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('configured secrets never reach a log, the database or Discord', () => {
  let dir: string;
  let discord: FakeDiscord;
  let rejecting: FakeDiscord;
  let bn: BinanceLikeFake;
  let pac: PacificaFake;
  let proxy: ConnectProxy;
  let env: Record<string, string>;
  let config: string;
  const secretList: string[] = [];

  beforeAll(async () => {
    dir = tempDir('delta-ops-secrets-');
    discord = await startFakeDiscord({ ...fakeOptions(), token: S.discordToken });
    rejecting = await startFakeDiscord({ ...fakeOptions(), token: 'some-other-token' });
    bn = new BinanceLikeFake('binance');
    bn.addAccount(S.goodKey, S.goodSecret);
    bn.addAccount(S.badKey, 'the-secret-binance-expects');
    bn.addAccount(S.proxyKey, S.proxySecret);
    bn.addAccount(S.deadKey, S.deadSecret);
    await bn.start();
    pac = await PacificaFake.withAccounts(1);
    proxy = new ConnectProxy();
    const proxyPort = new URL(await proxy.start()).port;
    const deadPort = await closedPort();
    const proxyUrl = `http://proxy-user:${S.proxyPassword}@127.0.0.1:${proxyPort}`;
    const deadProxyUrl = `http://proxy-user:${S.deadProxyPassword}@127.0.0.1:${deadPort}`;
    config = join(dir, 'secrets.yaml');
    writeFileSync(
      config,
      [
        'schedule: { tickInterval: 1s }',
        'sync: { accountTimeout: 2s }',
        'alerts: { groupWait: 0s }',
        'venues:',
        `  binance: { baseUrl: "${bn.url}", timeout: 1s }`,
        `  pacifica: { baseUrl: "${pac.apiBase}", timeout: 1s, apiKeyEnv: PF_KEY }`,
        'accounts:',
        `  - { id: pac-0, venue: pacifica, address: "${PacificaFake.address(0)}" }`,
        '  - { id: bn-good, venue: binance, apiKeyEnv: BN_GOOD_KEY, apiSecretEnv: BN_GOOD_SECRET }',
        '  - { id: bn-badsig, venue: binance, apiKeyEnv: BN_BAD_KEY, apiSecretEnv: BN_BAD_SECRET }',
        '  - { id: bn-proxied, venue: binance, apiKeyEnv: BN_PROXY_KEY, apiSecretEnv: BN_PROXY_SECRET, proxyUrlEnv: BN_PROXY_URL }',
        '  - { id: bn-deadproxy, venue: binance, apiKeyEnv: BN_DEAD_KEY, apiSecretEnv: BN_DEAD_SECRET, proxyUrlEnv: BN_DEAD_PROXY_URL }',
      ].join('\n'),
    );
    env = {
      LOG_LEVEL: 'trace',
      DISCORD_TOKEN: S.discordToken,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: GUILD,
      ALERT_CHANNEL_ID: ALERTS,
      COMMAND_COOLDOWN_MS: '0',
      DELTA_OPS_DB: join(dir, 'bot.sqlite'),
      PF_KEY: S.pacificaKey,
      BN_GOOD_KEY: S.goodKey,
      BN_GOOD_SECRET: S.goodSecret,
      BN_BAD_KEY: S.badKey,
      BN_BAD_SECRET: S.wrongSecret,
      BN_PROXY_KEY: S.proxyKey,
      BN_PROXY_SECRET: S.proxySecret,
      BN_PROXY_URL: proxyUrl,
      BN_DEAD_KEY: S.deadKey,
      BN_DEAD_SECRET: S.deadSecret,
      BN_DEAD_PROXY_URL: deadProxyUrl,
    };
    secretList.push(...Object.values(S), proxyUrl, deadProxyUrl, `proxy-user:${S.proxyPassword}`, `proxy-user:${S.deadProxyPassword}`);
  });
  afterAll(async () => {
    await discord?.close();
    await rejecting?.close();
    await bn?.stop();
    await pac?.stop();
    await proxy?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every row of every table of every database the runs wrote, and the raw bytes of the files. */
  function databases(): string {
    const out: string[] = [];
    for (const name of readdirSync(dir).filter((f) => /\.sqlite(-wal|-shm)?$/.test(f))) {
      out.push(readFileSync(join(dir, name)).toString('latin1'));
      if (!name.endsWith('.sqlite')) continue;
      const db = openSqlite(join(dir, name), { readonly: true });
      for (const { name: table } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]) {
        out.push(JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all()));
      }
      db.close();
    }
    return out.join('\n');
  }

  // Four processes on a shared machine: the limit only guards against a hang.
  it('after a run with a rejected signature, proxy failures, a working proxy, alerts and commands', { timeout: 90_000 }, async () => {
    const bot = startCli(['--config', config], env);
    const runs: CliResult[] = [];
    let botOutput = '';
    try {
      await bot.waitFor(/"msg":"connected to Discord"/);
      const sideRuns = Promise.all([
        runCli(['--config', config, 'doctor'], env),
        runCli(['--config', config, '--once', '/risk account:bn-badsig'], { ...env, DELTA_OPS_DB: join(dir, 'once.sqlite') }),
        runCli(['--config', config], { ...env, DISCORD_API_URL: rejecting.apiUrl, DELTA_OPS_DB: join(dir, 'rejected.sqlite') }),
      ]);
      // Enough ticks for the failures to repeat and the sync alerts (3 failed syncs) to be posted.
      await bot.waitFor(/"account":"bn-deadproxy".*"failures":3/);
      await discord.waitForMessage(ALERTS, (m) => JSON.stringify(m).includes('bn-deadproxy'), 15_000);
      for (const [i, name] of ['status', 'risk', 'feeds', 'alerts'].entries()) {
        await slash(discord, { name, user: user(900 + i), ...(name === 'alerts' ? { subcommand: 'list' } : name === 'risk' ? { options: { account: 'bn-deadproxy' } } : {}) });
      }
      runs.push(...(await sideRuns));
    } finally {
      const exited = new Promise<void>((done) => bot.child.once('exit', () => done()));
      bot.child.kill('SIGTERM');
      await exited;
      botOutput = bot.output();
    }

    // The error paths really ran: signature rejected, proxy refused, proxy used, Discord said 401.
    expect(botOutput).toMatch(/"account":"bn-badsig".*"code":\d+/);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    // The secrets were really in use, in the forms the scan looks for (the key header, Basic auth).
    expect(proxy.authorizations).toContain(`Basic ${Buffer.from(`proxy-user:${S.proxyPassword}`).toString('base64')}`);
    expect(bn.requests.some((r) => r.headers['x-mbx-apikey'] === S.badKey)).toBe(true);
    expect(discord.requests.some((r) => r.headers.authorization === `Bot ${S.discordToken}`)).toBe(true);
    const [doctor, once, rejected] = runs;
    expect(doctor?.stdout).toContain('bn-badsig');
    expect(once?.stdout).toContain('bn-badsig');
    expect(rejected?.code).toBe(1);
    expect(rejected?.stderr).toMatch(/^delta-ops: cannot connect to Discord: /m);

    const captured: [string, string][] = [
      ['bot output', botOutput],
      ...runs.flatMap((r, i): [string, string][] => [[`run ${i} stdout`, r.stdout], [`run ${i} stderr`, r.stderr]]),
      ['databases', databases()],
      ['posted to Discord', discord.requests.map((r) => `${r.rawBody.toString('latin1')} ${JSON.stringify(r.body ?? null)}`).join('\n')],
    ];
    expect(existsSync(join(dir, 'bot.sqlite'))).toBe(true);
    const leaks: string[] = [];
    for (const [where, text] of captured) {
      for (const secret of secretList) for (const form of forms(secret)) if (text.includes(form)) leaks.push(`${where}: ${JSON.stringify(form)}`);
    }
    expect(leaks).toEqual([]);
    // And the redaction is visible where a secret would have been logged.
    expect(botOutput).not.toMatch(/s3cr3t/);
  });
});
