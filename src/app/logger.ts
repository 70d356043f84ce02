import pino, { type Logger } from 'pino';

/** Replaces every configured secret value (and common secret-bearing keys) before a line is written. */
export function secretScrubber(secrets: readonly string[]): (line: string) => string {
  const values = [...new Set(secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (line) => line;
  const escaped = values.map((v) => JSON.stringify(v).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(escaped.join('|'), 'g');
  return (line) => line.replace(re, '[REDACTED]');
}

export interface LoggerOptions {
  level: string;
  secrets: readonly string[];
  /** File descriptor or path; default stderr so stdout stays for command output. */
  destination?: number | string;
  /** This replica's name, on every line (several replicas write to one log pipeline). */
  instance?: string;
}

/** One pino logger for the whole process; children add fields. Secrets never reach the output. */
export function createLogger(opts: LoggerOptions): Logger {
  const scrub = secretScrubber(opts.secrets);
  return pino(
    {
      level: opts.level,
      base: { app: 'delta-ops', ...(opts.instance !== undefined ? { instance: opts.instance } : {}) },
      redact: { paths: ['*.apiKey', '*.apiSecret', '*.token', '*.authorization', '*.headers.authorization', '*.headers["x-mbx-apikey"]', '*.proxyUrl'], censor: '[REDACTED]' },
      hooks: { streamWrite: scrub },
    },
    pino.destination({ dest: opts.destination ?? 2, sync: true }),
  );
}
