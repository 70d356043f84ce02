import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');
const snowflakeList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0))
  .pipe(z.array(snowflake));
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const optionalSnowflake = z.preprocess((v) => (v === '' ? undefined : v), snowflake.optional());

/** Every environment variable delta-ops reads (documented in .env.example). */
export const envSchema = z.object({
  DELTA_OPS_CONFIG: optionalString,
  DELTA_OPS_DB: optionalString,
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
});

export type EnvConfig = z.infer<typeof envSchema>;

/** The only place that touches `process.env`. */
export function readProcessEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
