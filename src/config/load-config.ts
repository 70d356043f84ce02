import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type AccountConfig, type FileConfig } from './schema.js';
import { envSchema, type EnvConfig } from './env.js';
import { isLoopback, parseListen, type ListenAddress } from './listen-address.js';

export const DEFAULT_CONFIG_PATH = 'config/delta-ops.example.yaml';

/** An account with its secrets resolved from the environment. */
export interface ResolvedAccount extends AccountConfig {
  label: string;
  apiKey?: string;
  apiSecret?: string;
  proxyUrl?: string;
}

export interface AppConfig extends Omit<FileConfig, 'accounts' | 'http'> {
  accounts: ResolvedAccount[];
  /** The HTTP server; `listen` (from HTTP_LISTEN, else the file) is unset when it is off. */
  http: Omit<FileConfig['http'], 'listen'> & { listen?: ListenAddress };
  env: EnvConfig;
  configPath: string;
  /** Every secret value in use, so logs can redact them wherever they appear. */
  secrets: string[];
  /** Pacifica optional PF-API-KEY, resolved. */
  venueApiKeys: Partial<Record<'pacifica' | 'binance' | 'aster' | 'rasa', string>>;
  /** This replica's name: INSTANCE_ID, or host name and pid. */
  instanceId: string;
}

/** Longest message a ConfigError carries: it is one line on a terminal or in a journal. */
const MAX_MESSAGE = 300;

/**
 * Whatever the file or the environment holds, a message stays one readable line: line breaks and
 * other control characters are shown escaped, and a value pasted into it cannot make it endless.
 */
function oneLine(message: string): string {
  const flat = message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

/** A configuration problem, one line: `config accounts[2].venue: expected one of …`. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'ConfigError';
  }
}

/** A key as written in a path: bare when it looks like one, else quoted (and cut) so the path stays readable. */
function keyText(key: string): string {
  return /^[A-Za-z0-9_$-]{1,64}$/.test(key) ? key : JSON.stringify(key.length > 40 ? `${key.slice(0, 39)}…` : key);
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const k = keyText(String(p));
      out += k.startsWith('"') ? (out ? `[${k}]` : k) : out ? `.${k}` : k;
    }
  }
  return out;
}

function formatIssue(scope: 'config' | 'env', issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path) || '(root)';
  let what = issue.message;
  if (issue.code === 'invalid_value') what = `expected one of ${issue.values.map(String).join(', ')}`;
  else if (issue.code === 'invalid_type') what = `expected ${issue.expected}${issue.input === undefined ? ', but it is missing' : ''}`;
  else if (issue.code === 'unrecognized_keys') what = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(keyText).join(', ')}`;
  return `${scope} ${where}: ${what}`;
}

/**
 * Parses and validates configuration once. Pure apart from reading `file`: the environment is passed in.
 * Throws ConfigError naming the first bad field.
 */
export function loadConfig(env: Record<string, string | undefined>, file?: string): AppConfig {
  const envParsed = envSchema.safeParse(env);
  if (!envParsed.success) throw new ConfigError(formatIssue('env', envParsed.error.issues[0]!));
  const e = envParsed.data;
  const configPath = file ?? e.DELTA_OPS_CONFIG ?? DEFAULT_CONFIG_PATH;

  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`config file ${configPath}: cannot read it (${code})`);
  }
  let raw: unknown;
  try {
    // logLevel error: the yaml library's own warnings (process.emitWarning) would add lines to the one we print.
    raw = parseYaml(text, { prettyErrors: false, logLevel: 'error' });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : 'invalid YAML';
    throw new ConfigError(`config file ${configPath}: not valid YAML (${msg})`);
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(formatIssue('config', parsed.error.issues[0]!));
  const cfg = parsed.data;

  const secrets: string[] = [];
  const secret = (name: string | undefined, where: string): string | undefined => {
    if (!name) return undefined;
    const v = env[name];
    if (v === undefined || v === '') throw new ConfigError(`config ${where}: environment variable ${name} is not set`);
    secrets.push(v);
    return v;
  };
  const accounts = cfg.accounts.map((a, i): ResolvedAccount => {
    const resolved: ResolvedAccount = { ...a, label: a.label ?? a.id };
    const key = secret(a.apiKeyEnv, `accounts[${i}].apiKeyEnv`);
    const sec = secret(a.apiSecretEnv, `accounts[${i}].apiSecretEnv`);
    const proxy = secret(a.proxyUrlEnv, `accounts[${i}].proxyUrlEnv`);
    if (key !== undefined) resolved.apiKey = key;
    if (sec !== undefined) resolved.apiSecret = sec;
    if (proxy !== undefined) resolved.proxyUrl = proxy;
    return resolved;
  });
  const venueApiKeys: AppConfig['venueApiKeys'] = {};
  for (const v of ['pacifica', 'binance', 'aster', 'rasa'] as const) {
    const k = secret(cfg.venues[v]?.apiKeyEnv, `venues.${v}.apiKeyEnv`);
    if (k !== undefined) venueApiKeys[v] = k;
  }
  if (e.DISCORD_TOKEN) secrets.push(e.DISCORD_TOKEN);
  if (e.DELTA_OPS_DB) cfg.store.path = e.DELTA_OPS_DB;
  if (e.DATABASE_URL) cfg.store.url = e.DATABASE_URL;
  const dbPassword = cfg.store.url ? passwordOf(cfg.store.url) : undefined;
  if (dbPassword) secrets.push(dbPassword);
  const instanceId = e.INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  for (const token of [e.HTTP_READ_TOKEN, e.HTTP_ADMIN_TOKEN]) if (token) secrets.push(token);
  const http = { ...cfg.http, listen: httpListen(cfg.http.listen, e) };

  return { ...cfg, http, accounts, env: e, configPath, secrets, venueApiKeys, instanceId };
}

/**
 * Where the HTTP server listens, or undefined when it is off. Without HTTP_READ_TOKEN anyone who reaches
 * the port can read the book, so it must then stay on loopback.
 */
function httpListen(fromFile: string | undefined, e: EnvConfig): ListenAddress | undefined {
  const where = e.HTTP_LISTEN !== undefined ? 'env HTTP_LISTEN' : 'config http.listen';
  const text = e.HTTP_LISTEN ?? fromFile;
  if (text === undefined) return undefined;
  const parsed = parseListen(text);
  if (typeof parsed === 'string') throw new ConfigError(`${where}: ${parsed}`);
  if (!e.HTTP_READ_TOKEN && !isLoopback(parsed.host)) {
    throw new ConfigError(`${where}: ${parsed.host} is not a loopback address; set HTTP_READ_TOKEN (and HTTP_ADMIN_TOKEN for admin routes) to serve beyond this machine`);
  }
  return parsed;
}

/** The password of a postgres:// URL (redacted from logs), or undefined. */
function passwordOf(url: string): string | undefined {
  try {
    const p = decodeURIComponent(new URL(url).password);
    return p || undefined;
  } catch {
    throw new ConfigError('config store.url / DATABASE_URL: not a valid URL (postgres://user:password@host:5432/db)');
  }
}
