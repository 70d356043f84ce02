import { REST, type RateLimitData, type RESTOptions } from 'discord.js';
import type { DiscordRestSample } from '../core/ops/ops-model.js';
import { makeRequest } from './rest-multipart.js';

/** Told of every REST call's status (0: no answer) and duration: the ops model's Discord latency and 429s. */
export type RestObserver = (sample: DiscordRestSample) => void;

function observed(make: NonNullable<RESTOptions['makeRequest']>, observe: RestObserver): RESTOptions['makeRequest'] {
  return async (url, init) => {
    const started = performance.now();
    const method = init.method ?? 'GET';
    try {
      const res = await make(url, init);
      observe({ method, status: res.status, seconds: (performance.now() - started) / 1000 });
      return res;
    } catch (err) {
      observe({ method, status: 0, seconds: (performance.now() - started) / 1000 });
      throw err;
    }
  };
}

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
export function restOptions(apiUrl: string | undefined, observe?: RestObserver): Partial<RESTOptions> {
  return {
    version: '10',
    rejectOnRateLimit: rejectLongChannelWaits,
    makeRequest: observe ? observed(makeRequest, observe) : makeRequest,
    // DISCORD_API_URL: a REST proxy, or the loopback fake in tests; the gateway URL then comes from its /gateway/bot.
    ...(apiUrl ? { api: apiUrl } : {}),
  };
}

export function createRest(token: string, apiUrl: string | undefined, observe?: RestObserver): REST {
  return new REST(restOptions(apiUrl, observe)).setToken(token);
}
