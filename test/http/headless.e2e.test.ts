import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv, ROOT, runCli, tempDir } from '../helpers/run-cli.js';
import { until } from '../reliability/wait.js';

/*
 * The real entry point as a service runs it: stdin closed (/dev/null), no Discord token, the HTTP server
 * on a port the system picks. It must stay up, ticking and serving, until SIGTERM, instead of ending at
 * the end of input as the console does.
 */
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function startHeadless(args: string[]): { child: ChildProcess; output: () => string } {
  const env = childEnv({ DELTA_OPS_DB: join(tempDir(), 'headless.sqlite'), HTTP_LISTEN: '127.0.0.1:0', LOG_LEVEL: 'info' });
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), '--config', 'test/fixtures/scenario.yaml', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

const exited = (c: ChildProcess): Promise<number | null> => (c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise((r) => c.once('exit', (code) => r(code))));

async function serves(args: string[]): Promise<void> {
  const { child, output } = startHeadless(args);
  await until('the HTTP server and the first tick', () => /"msg":"headless: running until SIGTERM"/.test(output()), 30_000);
  const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output())?.[1];
  expect(url).toBeDefined();
  expect(output()).not.toContain('delta-ops>');
  // Still up well after the end of its (empty) input, ticking (1 s interval) and answering.
  await until('three ticks', () => (output().match(/"msg":"tick finished"/g) ?? []).length >= 3, 30_000);
  expect(child.exitCode).toBeNull();
  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  const status = (await (await fetch(`${url}/api/v1/system/status`)).json()) as { data: { status: string; performance: { totalTicks: number } } };
  expect(status.data.status).toBe('healthy');
  expect(status.data.performance.totalTicks).toBeGreaterThanOrEqual(3);
  expect((await fetch(`${url}/readyz`)).status).toBe(200);

  child.kill('SIGTERM');
  expect(await exited(child)).toBe(0);
  expect(output()).toContain('database closed; delta-ops stopped');
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
}

describe('headless', () => {
  it('--headless with stdin closed stays up until SIGTERM and serves HTTP', async () => {
    await serves(['--headless']);
  });

  it('no terminal on stdin (/dev/null) and no Discord token: headless without the flag', async () => {
    await serves([]);
  });

  it('without HTTP_READ_TOKEN, a non-loopback address stops the start with one line and exit 1', async () => {
    const r = await runCli(['--config', 'test/fixtures/scenario.yaml', '--headless'], { HTTP_LISTEN: '0.0.0.0:0', DELTA_OPS_DB: join(tempDir(), 'x.sqlite') });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('delta-ops: env HTTP_LISTEN: 0.0.0.0 is not a loopback address; set HTTP_READ_TOKEN (and HTTP_ADMIN_TOKEN for admin routes) to serve beyond this machine\n');
  });
});
