import { existsSync } from 'node:fs';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');
const snowflakeList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
  .pipe(z.array(snowflake));
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const optionalSnowflake = z.preprocess((v) => (v === '' ? undefined : v), snowflake.optional());
/** A bearer token: long enough that guessing is hopeless, and printable (it travels in a header). */
const optionalToken = z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'must be at least 16 characters').regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces only').optional());

/** Every environment variable delta-ops reads (documented in .env.example). */
export const envSchema = z.object({
  DELTA_OPS_CONFIG: optionalString,
  DELTA_OPS_DB: optionalString,
  /** The env file loaded at start when it exists (default `.env`); read by readProcessEnv before this schema. */
  DELTA_OPS_ENV_FILE: optionalString,
  /** `postgres://user:password@host:5432/db`: the shared store of several replicas (SQLite when unset). */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional()),
  /** This replica's name in logs, /status and the leader lease (default: host name and pid). */
  INSTANCE_ID: z.preprocess((v) => (v === '' ? undefined : v), z.string().max(64).regex(/^[\w.:@-]+$/, 'letters, digits and . : @ - _ only').optional()),
  LOG_LEVEL: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  DISCORD_TOKEN: optionalString,
  DISCORD_APP_ID: optionalSnowflake,
  DISCORD_GUILD_ID: optionalSnowflake,
  DISCORD_API_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  ALERT_CHANNEL_ID: optionalSnowflake,
  SUMMARY_CHANNEL_ID: optionalSnowflake,
  ALERT_ROLE_ID: optionalSnowflake,
  ADMIN_ROLE_IDS: snowflakeList.default([]),
  ADMIN_USER_IDS: snowflakeList.default([]),
  ALLOWED_GUILD_IDS: snowflakeList.default([]),
  COMMAND_COOLDOWN_MS: z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), z.number().int().min(0).default(2000)),
  /** Where the HTTP server listens, `host:port` (overrides `http.listen` of the config). */
  HTTP_LISTEN: optionalString,
  /** Bearer token for the HTTP API's read routes and /metrics; without it the server stays on loopback. */
  HTTP_READ_TOKEN: optionalToken,
  /** Bearer token for the admin routes (feed failover, on-demand sync); it also reads. */
  HTTP_ADMIN_TOKEN: optionalToken,
});

export type EnvConfig = z.infer<typeof envSchema>;

/**
 * The only place that touches `process.env`. First loads the env file when it exists (`.env` in the
 * working directory, or the file DELTA_OPS_ENV_FILE names), with Node's own parser: a variable already
 * set in the environment wins over the file, as with `node --env-file`.
 */
export function readProcessEnv(): Record<string, string | undefined> {
  const file = process.env['DELTA_OPS_ENV_FILE'] || '.env';
  if (existsSync(file)) process.loadEnvFile(file);
  return { ...process.env };
}
