import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';

/** Runs the repository's eslint.config.js on `code` as if it were the file at `path`. */
async function problems(path: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${path}` });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId ?? 'parse'}`);
}

describe('the layering lint that npm test runs', () => {
  it('refuses imports that leave src/core, at any depth', async () => {
    expect(await problems('src/core/x.ts', "import { a } from '../store/sqlite/sqlite-store.js';\n")).toEqual(['1:no-restricted-imports']);
    expect(await problems('src/core/alerts/rules/x.ts', "import { a } from '../../../venues/registry.js';\n")).toEqual(['1:no-restricted-imports']);
    expect(await problems('src/core/alerts/rules/x.ts', "import { a } from '../../ports/store.js';\nimport { b } from './types.js';\n")).toEqual([]);
  });

  it('refuses outside packages in src/core but zod and node builtins', async () => {
    const code = "import pg from 'pg';\nimport type { Logger } from 'pino';\nimport { Client } from 'discord.js';\nimport { z } from 'zod';\nimport { randomBytes } from 'node:crypto';\n";
    expect(await problems('src/core/outbox/x.ts', code)).toEqual(['1:no-restricted-imports', '2:no-restricted-imports', '3:no-restricted-imports']);
    expect(await problems('src/discord/x.ts', code)).toEqual([]);
  });

  it('keeps process.env inside src/config', async () => {
    const code = "export const token = process.env['DISCORD_TOKEN'];\n";
    expect(await problems('src/discord/x.ts', code)).toEqual(['1:no-restricted-properties']);
    expect(await problems('commands/x.ts', code)).toEqual(['1:no-restricted-properties']);
    expect(await problems('src/config/env.ts', code)).toEqual([]);
  });
});
