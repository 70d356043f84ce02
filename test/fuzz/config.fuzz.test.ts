import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { tempDir } from '../helpers/run-cli.js';
import { nastyNumber, nastyString, Prng } from './prng.js';

/*
 * Random mutations of the shipped example config (wrong types, negative and huge numbers, unknown and
 * unicode keys, deep nesting, broken YAML) and of the environment. Property: loadConfig either
 * succeeds or throws a ConfigError whose message is one line that names the field (or the file or
 * variable); never another exception.
 */
const EXAMPLE = readFileSync('config/delta-ops.example.yaml', 'utf8');
const SEED = 4242;
const TOP_LEVEL = new Set(['timezone', 'store', 'schedule', 'sync', 'venues', 'accounts', 'symbols', 'thresholds', 'overrides', 'utilization', 'feeds', 'alerts']);
const dir = tempDir('delta-ops-config-fuzz-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function nastyValue(r: Prng, depth = 0): Json {
  switch (r.int(0, 9)) {
    case 0:
      return nastyString(r, 60);
    case 1: {
      const n = nastyNumber(r);
      return Number.isFinite(n) ? n : r.pick(['.nan', '.inf', '-.inf']);
    }
    case 2:
      return r.bool();
    case 3:
      return null;
    case 4:
      return depth > 3 ? [] : [nastyValue(r, depth + 1), nastyValue(r, depth + 1)];
    case 5:
      return depth > 3 ? {} : { [nastyString(r, 20)]: nastyValue(r, depth + 1) };
    case 6:
      return r.pick(['15s', '-5s', '0s', '1e9d', '99999999999999999999h', '1.5.5m', 'soon', '', '0x10s']);
    case 7:
      return -r.int(1, 1e6);
    case 8: {
      let deep: Json = 'bottom';
      for (let i = 0; i < r.pick([50, 500]); i++) deep = r.bool() ? [deep] : { n: deep };
      return deep;
    }
    default:
      return r.pick(['paper', 'binance', 'BINANCE_KEY', 'acc-1', 'BTC', 'UTC', 'Mars/Olympus', '0 9 * * *', '61 25 * * *']);
  }
}

/** Every path to a value in the document, e.g. ['accounts', 0, 'paper', 'equity']. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function mutate(r: Prng, doc: Json): Json {
  const all = paths(doc).filter((p) => p.length > 0);
  const target = r.pick(all);
  let parent = doc as Record<string | number, Json>;
  for (const k of target.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const key = target[target.length - 1]!;
  const roll = r.next();
  if (roll < 0.6) parent[key] = nastyValue(r);
  else if (roll < 0.75) delete parent[key];
  else if (roll < 0.9 && !Array.isArray(parent)) parent[r.pick([nastyString(r, 30), 'groupwait', 'tickInterval ', '__proto__', 'constructor', 'a\nb', 'ключ', '🔑'])] = nastyValue(r);
  else parent[key] = structuredClone(doc);
  return doc;
}

function textMutation(r: Prng, text: string): string {
  const at = r.int(0, text.length);
  switch (r.int(0, 5)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + r.pick(['\t', ': :', '- - -', '{', '[', '"', "'", '&a', '*a', '!!binary', '%YAML 9.9\n', '\u0000', '---\n---\n', '? ']) + text.slice(at);
    case 2:
      return `${text}\n${text}`;
    case 3: {
      // "Billion laughs": each level refers to the one before ten times.
      const levels = ['a: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
      for (let l = 1; l < 6; l++) levels.push(`l${l}: &l${l} [${Array(10).fill(`*l${l - 1}`).join(', ')}]`);
      return `${levels.join('\n')}\n${text}`;
    }
    case 4:
      return r.pick(['', '42', '"just a string"', '[]', 'null', '~', '{}', '\ufeff']);
    default:
      return text.replace(/:/g, r.pick([' :', '=', '::']));
  }
}

/** One line that names where the problem is: `config <field>: …`, `config file <path>: …` or `env <VAR>: …`. */
function checkError(err: unknown, what: string): string[] {
  if (!(err instanceof ConfigError)) return [`${what}: ${err instanceof Error ? `${err.name}: ${err.message.slice(0, 200)}` : String(err)}`];
  const m = err.message;
  const out: string[] = [];
  if (/[\r\n\u2028\u2029]/.test(m)) out.push(`${what}: more than one line: ${JSON.stringify(m).slice(0, 300)}`);
  const where = /^(?:config file \S+|config \(root\)|config ([A-Za-z]+)[.[:]|env ([A-Z_]+))/.exec(m);
  const field = where?.[1];
  if (!where || (field !== undefined && !TOP_LEVEL.has(field))) out.push(`${what}: does not name a field: ${JSON.stringify(m).slice(0, 300)}`);
  if (m.length > 400) out.push(`${what}: ${m.length} characters long`);
  return out;
}

describe('fuzz: configuration', () => {
  it('loadConfig over mutated YAML documents and broken YAML text', () => {
    const r = new Prng(SEED);
    const base = parseYaml(EXAMPLE) as Json;
    const failures: string[] = [];
    let ok = 0;
    for (let i = 0; i < 400; i++) {
      let text: string;
      if (r.bool(0.75)) {
        let doc = structuredClone(base);
        for (let k = r.int(1, 3); k > 0; k--) doc = mutate(r, doc);
        text = stringify(doc, { aliasDuplicateObjects: false });
      } else {
        text = textMutation(r, EXAMPLE);
      }
      const file = join(dir, `c${i}.yaml`);
      writeFileSync(file, text);
      try {
        loadConfig({ DELTA_OPS_DB: join(dir, 'x.sqlite') }, file);
        ok++;
      } catch (err) {
        failures.push(...checkError(err, `#${i}`));
      }
    }
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
  });

  it('loadConfig over hostile environment values', () => {
    const r = new Prng(SEED + 1);
    const names = ['DELTA_OPS_DB', 'LOG_LEVEL', 'DISCORD_TOKEN', 'DISCORD_APP_ID', 'DISCORD_GUILD_ID', 'DISCORD_API_URL', 'ALERT_CHANNEL_ID', 'SUMMARY_CHANNEL_ID', 'ALERT_ROLE_ID', 'ADMIN_ROLE_IDS', 'ADMIN_USER_IDS', 'ALLOWED_GUILD_IDS', 'COMMAND_COOLDOWN_MS'];
    const file = join(dir, 'example.yaml');
    writeFileSync(file, EXAMPLE);
    const failures: string[] = [];
    for (let i = 0; i < 300; i++) {
      const env: Record<string, string> = { DELTA_OPS_DB: join(dir, 'x.sqlite') };
      for (let k = r.int(1, 3); k > 0; k--) {
        env[r.pick(names)] = r.bool(0.5) ? nastyString(r, 80) : r.pick(['1e309', '-1', 'NaN', '1200000000000000001, ,', '12000000000000000001,x', 'ftp://x', 'http://', ' ', '0', '9'.repeat(400)]);
      }
      try {
        loadConfig(env, file);
      } catch (err) {
        failures.push(...checkError(err, `#${i} ${JSON.stringify(env).slice(0, 200)}`));
      }
    }
    expect(failures).toEqual([]);
  });
});
