import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import type { DeliveryResult } from '../core/outbox/sink.js';

/**
 * A failed REST call as the outbox's "retry or not":
 * - 429 (a wait longer than discord.js holds inline) → retry after Discord's Retry-After;
 * - 5xx after discord.js's own retries, timeouts, connection errors → retry with backoff;
 * - 401 → retry: the token was revoked or rotated, which is fixed by a restart with the new one, and
 *   the notifications must still be there then (not dead);
 * - 408 → retry; any other 4xx (unknown channel 10003, missing access 50001, missing permissions
 *   50013, invalid form body 50035, unknown message 10008) → permanent: the same request will not work.
 * The reason holds Discord's code and message only (no token, no body).
 */
export function deliveryFailure(err: unknown): Exclude<DeliveryResult, { kind: 'delivered' }> {
  if (err instanceof RateLimitError) {
    return { kind: 'retry', afterMs: Math.max(err.retryAfter, err.timeToReset, 0), reason: `rate limited on ${err.route}${err.global ? ' (global)' : ''}` };
  }
  if (err instanceof DiscordAPIError) {
    const reason = `Discord ${err.status} ${String(err.code)}: ${err.message}`.slice(0, 300);
    if (err.status === 429 || err.status === 408 || err.status === 401 || err.status >= 500) return { kind: 'retry', reason };
    return { kind: 'permanent', reason };
  }
  if (err instanceof HTTPError) return { kind: 'retry', reason: `Discord HTTP ${err.status}` };
  const name = err instanceof Error ? err.name : 'Error';
  const code = err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' ? ` ${(err as NodeJS.ErrnoException).code}` : '';
  return { kind: 'retry', reason: `network: ${name}${code}${err instanceof Error ? ` ${err.message}` : ''}`.slice(0, 300) };
}

/**
 * A failure that retrying cannot fix: Discord rejected the token (401 on /gateway/bot, gateway close
 * 4004) or the intents. Anything else (connection refused or reset, timeouts, 5xx) is an outage.
 */
export function isPermanentDiscordError(err: unknown): boolean {
  if (err instanceof DiscordAPIError) return err.status === 401 || err.status === 403;
  const code = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return code === 'TokenInvalid' || code === 'TokenMissing' || code === 'DisallowedIntents';
}
