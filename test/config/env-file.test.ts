import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir, type CliResult } from '../helpers/run-cli.js';

const BAD_LEVEL = /^delta-ops: env LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent\n$/;

/**
 * `.env` is loaded at start when present, by Node's own parser, and the real environment wins over it.
 * Each case fails on purpose before the store opens (a bad value from the file), which shows whether the
 * file was read.
 */
describe('the env file (real entry point)', () => {
  const dir = tempDir('delta-ops-env-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('.env in the working directory is read', async () => {
    writeFileSync(join(dir, '.env'), '# a comment\nLOG_LEVEL=loud\n');
    // Not runCli: it runs in the repository with DELTA_OPS_ENV_FILE pointed away from any .env there.
    const r = await new Promise<CliResult>((done, reject) => {
      const child = spawn(process.execPath, ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, join(ROOT, 'src/main.ts'), '--once', '/status'], {
        cwd: dir,
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    expect(r.stderr).toMatch(BAD_LEVEL);
    expect(r.code).toBe(1);
  });

  it('DELTA_OPS_ENV_FILE names another file; quoted values and comments are understood', async () => {
    const file = join(dir, 'desk.env');
    writeFileSync(file, `# desk settings\nDELTA_OPS_CONFIG="${join(dir, 'no such file.yaml')}"\n`);
    const r = await runCli(['--once', '/status'], { DELTA_OPS_ENV_FILE: file });
    expect(r.stderr).toBe(`delta-ops: config file ${join(dir, 'no such file.yaml')}: cannot read it (ENOENT)\n`);
    expect(r.code).toBe(1);
  });

  it('a variable set in the environment wins over the file', async () => {
    const file = join(dir, 'override.env');
    writeFileSync(file, `LOG_LEVEL=loud\nDELTA_OPS_CONFIG=${join(dir, 'from-file.yaml')}\n`);
    const r = await runCli(['--once', '/status'], { DELTA_OPS_ENV_FILE: file, LOG_LEVEL: 'warn', DELTA_OPS_CONFIG: join(dir, 'from-env.yaml') });
    expect(r.stderr).toBe(`delta-ops: config file ${join(dir, 'from-env.yaml')}: cannot read it (ENOENT)\n`);
    expect(r.code).toBe(1);
  });

  it('a missing env file is no error', async () => {
    const r = await runCli(['--once', '/status'], { DELTA_OPS_ENV_FILE: join(dir, 'absent.env'), LOG_LEVEL: 'loud' });
    expect(r.stderr).toMatch(BAD_LEVEL);
  });
});
