import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import type { RetryPolicy } from './backoff.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import type { RateLimit } from './rate-limiter.js';
import type { Random, Sleep } from './sleep.js';

/** What every HTTP venue adapter is built from. Only `clock` is required; the rest has venue defaults. */
export interface HttpAdapterOptions {
  /** Mainnet, testnet or a loopback fake; defaults to the venue's mainnet. */
  baseUrl?: string;
  /** Per-request timeout (each attempt). */
  timeoutMs?: number;
  /** Max sockets per egress (direct pool or each proxy). */
  concurrency?: number;
  /** Venue-level key (Pacifica `PF-API-KEY`, for a higher rate limit). Secret: never logged. */
  apiKey?: string;
  clock: Clock;
  sleep?: Sleep;
  random?: Random;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Override the venue's default weight budget per egress. */
  rateLimit?: RateLimit;
  breaker?: Partial<CircuitBreakerOptions>;
  /** Taker fee fraction for MarketSpec where the venue's market data has none. */
  takerFee?: number;
  /** Largest response body read, in bytes (default 8 MiB, `DEFAULT_MAX_BODY_BYTES`). */
  maxBodyBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_CONCURRENCY = 8;
