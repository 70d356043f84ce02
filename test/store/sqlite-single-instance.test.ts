import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDir } from '../helpers/run-cli.js';

const FIXTURE = 'test/fixtures/reliability-outage.yaml';

/**
 * One process per SQLite file: a second delta-ops on the same file exits at once, naming the file and
 * the process that has it. A file deleted or replaced while the bot runs is reported within a tick.
 */
describe('SQLite: one process per file', () => {
  let dir: string;
  const children: ReturnType<typeof startCli>[] = [];

  beforeAll(() => {
    dir = tempDir('delta-ops-single-');
  });
  afterAll(() => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('a second process on the same file exits 1 with one line naming the file and the first process', async () => {
    const db = join(dir, 'shared.sqlite');
    const first = startCli(['--config', FIXTURE], { DELTA_OPS_DB: db, INSTANCE_ID: 'desk-1', LOG_LEVEL: 'info' });
    children.push(first);
    await first.waitFor(/"msg":"delta-ops starting"/, 60_000);

    const second = await runCli(['--config', FIXTURE, '--once', '/status'], { DELTA_OPS_DB: db, INSTANCE_ID: 'desk-2' });
    expect(second.code).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`database ${db} is in use by another delta-ops (desk-1, pid ${first.child.pid}`);
    expect(second.stdout).toBe('');

    first.child.kill('SIGTERM');
    await new Promise((r) => first.child.once('exit', r));
    // The lock goes with the process: the file is free again.
    const third = await runCli(['--config', FIXTURE, '--once', '/status'], { DELTA_OPS_DB: db });
    expect(third.code).toBe(0);
  }, 120_000);

  it('a killed process leaves no lock behind', async () => {
    const db = join(dir, 'killed.sqlite');
    const first = startCli(['--config', FIXTURE], { DELTA_OPS_DB: db, LOG_LEVEL: 'info' });
    children.push(first);
    await first.waitFor(/"msg":"delta-ops starting"/, 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const next = await runCli(['--config', FIXTURE, '--once', '/status'], { DELTA_OPS_DB: db });
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
  }, 120_000);

  it('the database file deleted while running is reported at the next tick', async () => {
    const db = join(dir, 'deleted.sqlite');
    const bot = startCli(['--config', FIXTURE], { DELTA_OPS_DB: db, LOG_LEVEL: 'info' });
    children.push(bot);
    await bot.waitFor(/"msg":"delta-ops starting"/, 60_000);
    rmSync(db);
    await bot.waitFor(/database .*deleted\.sqlite was deleted while delta-ops was running/, 30_000);
    expect(bot.output()).toMatch(/"level":50,.*"stage":"store-check"/);
    bot.child.kill('SIGKILL');
  }, 120_000);

  it('the database file replaced while running is reported at the next tick', async () => {
    const db = join(dir, 'replaced.sqlite');
    const bot = startCli(['--config', FIXTURE], { DELTA_OPS_DB: db, LOG_LEVEL: 'info' });
    children.push(bot);
    await bot.waitFor(/"msg":"delta-ops starting"/, 60_000);
    writeFileSync(`${db}.new`, '');
    renameSync(`${db}.new`, db);
    await bot.waitFor(/replaced\.sqlite was replaced by another file while delta-ops was running/, 30_000);
    bot.child.kill('SIGKILL');
  }, 120_000);
});
