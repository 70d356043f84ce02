import { REST, type RateLimitData, type RESTOptions } from 'discord.js';
import { makeRequest } from './rest-multipart.js';

/**
 * A 429 on a channel post that asks for longer than this is handed back to the outbox (RateLimitError →
 * retry after `retryAfter`) instead of holding the dispatcher; shorter ones discord.js waits out and
 * retries itself. Either way the retry carries the same nonce, so nothing is posted twice.
 */
export const INLINE_RATE_LIMIT_WAIT_MS = 5_000;

export function rejectLongChannelWaits(data: RateLimitData): boolean {
  return data.route.startsWith('/channels/') && Math.max(data.retryAfter, data.timeToReset) > INLINE_RATE_LIMIT_WAIT_MS;
}

/** REST options shared by the gateway client and the one-shot `deploy-commands`. */
export function restOptions(apiUrl: string | undefined): Partial<RESTOptions> {
  return {
    version: '10',
    rejectOnRateLimit: rejectLongChannelWaits,
    makeRequest,
    // DISCORD_API_URL: a REST proxy, or the loopback fake in tests; the gateway URL then comes from its /gateway/bot.
    ...(apiUrl ? { api: apiUrl } : {}),
  };
}

export function createRest(token: string, apiUrl: string | undefined): REST {
  return new REST(restOptions(apiUrl)).setToken(token);
}
