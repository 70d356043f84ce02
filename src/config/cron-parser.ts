import { createRequire } from 'node:module';
import type { CronExpressionParser } from 'cron-parser';

let parser: typeof CronExpressionParser | undefined;

/**
 * cron-parser (and luxon under it), required on first use: a start whose config has no maintenance
 * window and that runs no scheduler (`--once`) never parses a cron expression, and so never loads them.
 * A CommonJS package, so a synchronous require gives the same module an `import` would.
 */
export function cronParser(): typeof CronExpressionParser {
  parser ??= (createRequire(import.meta.url)('cron-parser') as { CronExpressionParser: typeof CronExpressionParser }).CronExpressionParser;
  return parser;
}
