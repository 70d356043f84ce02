import type * as CoreSettings from '../core/settings.js';
import type * as Paging from '../core/alerts/paging.js';
import { z } from 'zod';
import { SYMBOL_DEFAULTS, THRESHOLD_DEFAULTS as T, UTILIZATION_DEFAULTS } from '../core/thresholds/defaults.js';
import { VENUE_IDS } from '../core/types.js';
import { duration } from './duration.js';
import { pagingFields } from './paging-schema.js';

const fraction = z.number().min(0, 'must be ≥ 0').max(1, 'must be ≤ 1');
const positive = z.number().gt(0, 'must be > 0');
const nonNegative = z.number().min(0, 'must be ≥ 0');
/** Name of an environment variable that holds a secret; the secret never appears in the file. */
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as BINANCE_KEY');

const paperPositionSchema = z.strictObject({
  size: z.number(),
  entryPrice: positive.optional(),
  liquidationPrice: positive.optional(),
});

const accountSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore'),
  venue: z.enum(VENUE_IDS),
  label: z.string().max(100).optional(),
  /** Wallet or sub-account address (Pacifica, Rasa). */
  address: z.string().optional(),
  multiAccountAddress: z.string().optional(),
  apiKeyEnv: envName.optional(),
  apiSecretEnv: envName.optional(),
  /** Env var holding an HTTP proxy URL for this account (may contain credentials). */
  proxyUrlEnv: envName.optional(),
  /** Paper venue: the starting book. */
  paper: z
    .strictObject({
      equity: nonNegative,
      available: nonNegative,
      maintenanceMargin: nonNegative.optional(),
      positions: z.record(z.string(), paperPositionSchema).default({}),
    })
    .optional(),
});

const symbolSchema = z.strictObject({
  target: z.number().default(SYMBOL_DEFAULTS.target),
  tolerance: fraction.default(SYMBOL_DEFAULTS.tolerance),
  maxDeviation: fraction.default(SYMBOL_DEFAULTS.maxDeviation),
  maxPositionSize: positive.optional(),
  slippage: fraction.default(SYMBOL_DEFAULTS.slippage),
});

const paperMarketSchema = z.strictObject({
  price: positive,
  lotSize: positive.default(0.001),
  tickSize: positive.default(0.01),
  minNotional: nonNegative.default(10),
  takerFee: nonNegative.default(0.0004),
  multiplier: positive.default(1),
  /** Funding rate per interval (fraction). */
  fundingRate: z.number().default(0.0001),
  fundingIntervalHours: positive.default(8),
  /** Seeded random walk: std-dev of the per-tick log return. 0 = fixed price. */
  volatility: nonNegative.default(0),
});

const timelineEventSchema = z.strictObject({
  tick: z.number().int().min(0, 'must be ≥ 0'),
  account: z.string().optional(),
  symbol: z.string().optional(),
  /** Set a position's size (base units, signed). */
  size: z.number().optional(),
  /** Add to a position's size. */
  sizeDelta: z.number().optional(),
  equity: nonNegative.optional(),
  available: nonNegative.optional(),
  price: positive.optional(),
  /** Make the account's sync fail from this tick (true) or recover (false). */
  fail: z.boolean().optional(),
});

const venueEndpointSchema = z.strictObject({
  baseUrl: z.string().url().optional(),
  timeout: duration.default(5000),
  /**
   * Max requests in flight to this venue (sockets per egress). Default: enough for every account the
   * sync runs at once (3 requests each, sync.concurrency × 3), at least 8; a smaller pool caps the sync.
   */
  concurrency: z.number().int().min(1).max(256).optional(),
  apiKeyEnv: envName.optional(),
  /** Taker fee for plans where the venue's market data carries none (your fee tier). */
  takerFee: fraction.optional(),
  /** Request-weight budget per egress IP; defaults to the venue's documented limit. */
  rateLimit: z.strictObject({ weight: z.number().int().min(1), window: duration.default(60_000) }).optional(),
  /** Largest response body read, in bytes (default 8 MiB); a bigger one fails the call with 1005. */
  maxBodyBytes: z.number().int().min(1024).optional(),
});

const thresholdsSchema = z.strictObject({
  utilization: z.strictObject({ warn: fraction.default(T.utilization.warn), critical: fraction.default(T.utilization.critical) }).prefault({}),
  liquidation: z.strictObject({ warn: fraction.default(T.liquidation.warn), critical: fraction.default(T.liquidation.critical) }).prefault({}),
  drawdown: z.strictObject({ critical: fraction.default(T.drawdown.critical), window: duration.default(T.drawdown.window) }).prefault({}),
  sync: z
    .strictObject({ failedSyncs: z.number().int().min(1).default(T.sync.failedSyncs), staleTicks: z.number().int().min(1).default(T.sync.staleTicks), criticalStale: duration.default(T.sync.criticalStale) })
    .prefault({}),
  hedgerCapacity: z.strictObject({ warn: fraction.default(T.hedgerCapacity.warn) }).prefault({}),
  /** Absolute funding rate per 8 h above which a `funding` alert (WARN) fires. */
  funding: z.strictObject({ warn8h: nonNegative.default(T.funding.warn8h) }).prefault({}),
});

/** Market-data feeds: the thresholds of the feed state machine and the source preference (src/core/feeds). */
const feedsSchema = z.strictObject({
  /** A feed with no good quote for this long is failing (stale). */
  staleAfter: duration.default(60_000),
  /** A price fetch slower than this makes the feed degraded. */
  degradedLatency: duration.default(2_000),
  /** Failed fetches in a row that make a feed failing (fewer: degraded). */
  failAfter: z.number().int().min(1).default(2),
  /** Healthy ticks in a row before a symbol fails back to a preferred feed. */
  recoverTicks: z.number().int().min(1).default(3),
  /** Failing when the venue's own timestamp on a quote is older than this (frozen upstream). Off unless set. */
  maxQuoteAge: duration.optional(),
  /** Source preference for every symbol (default: the order the accounts name the venues). */
  order: z.array(z.enum(VENUE_IDS)).default([]),
  /** Per symbol, sources ranked before `order`, e.g. { BTC: [binance, pacifica] }. */
  preferred: z.record(z.string(), z.array(z.enum(VENUE_IDS))).default({}),
});

/** Per-account or per-account-and-symbol threshold overrides. */
const overrideSchema = z.strictObject({
  account: z.string().optional(),
  symbol: z.string().optional(),
  utilization: z.strictObject({ warn: fraction.optional(), critical: fraction.optional() }).optional(),
  liquidation: z.strictObject({ warn: fraction.optional(), critical: fraction.optional() }).optional(),
  drawdown: z.strictObject({ critical: fraction.optional() }).optional(),
  maxPositionSize: positive.optional(),
});

export const configSchema = z
  .strictObject({
    timezone: z.string().default('UTC'),
    store: z
      .strictObject({
        path: z.string().default('data/delta-ops.sqlite'),
        /** A postgres:// URL: PostgreSQL, shared by several replicas (DATABASE_URL overrides it). */
        url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
        /** Raw metric samples are kept this long, then downsampled. */
        rawRetention: duration.default(172_800_000),
        /** Downsampled (hourly) samples are kept this long. */
        downsampledRetention: duration.default(7_776_000_000),
      })
      .prefault({}),
    /** Several replicas on PostgreSQL: how long the leader's lease lasts without renewal. */
    ha: z
      .strictObject({
        /** A standby takes over at most this long after the leader stopped renewing (plus `standbyPoll`). */
        leaseTtl: duration.refine((ms) => ms >= 2_000 && ms <= 120_000, 'must be between 2s and 2m').default(8_000),
        /** How often a standby asks for the lease. */
        standbyPoll: duration.refine((ms) => ms >= 100 && ms <= 30_000, 'must be between 100ms and 30s').default(1_000),
      })
      .prefault({}),
    schedule: z
      .strictObject({
        tickInterval: duration.default(15_000),
        dailySummary: z
          .strictObject({ cron: z.string().default('0 9 * * *'), timezone: z.string().default('UTC') })
          .prefault({}),
      })
      .prefault({}),
    sync: z
      .strictObject({ concurrency: z.number().int().min(1).max(1000).default(16), accountTimeout: duration.default(10_000) })
      .prefault({}),
    venues: z
      .strictObject({
        paper: z
          .strictObject({
            seed: z.number().int().default(1),
            markets: z.record(z.string(), paperMarketSchema).default({}),
            timeline: z.array(timelineEventSchema).default([]),
          })
          .optional(),
        pacifica: venueEndpointSchema.optional(),
        binance: venueEndpointSchema.optional(),
        aster: venueEndpointSchema.optional(),
        rasa: venueEndpointSchema.optional(),
      })
      .prefault({}),
    accounts: z.array(accountSchema).min(1, 'at least one account is required'),
    symbols: z.record(z.string(), symbolSchema).default({}),
    thresholds: thresholdsSchema.prefault({}),
    overrides: z.array(overrideSchema).default([]),
    utilization: z
      .strictObject({ target: positive.max(1).default(UTILIZATION_DEFAULTS.target), tolerance: fraction.default(UTILIZATION_DEFAULTS.tolerance), maxRebalanceAmount: positive.optional() })
      .prefault({}),
    feeds: feedsSchema.prefault({}),
    alerts: z
      .strictObject({ groupWait: duration.default(30_000), repeatInterval: duration.default(14_400_000), resolveAfterTicks: z.number().int().min(1).default(2), ...pagingFields })
      .prefault({}),
    /** The HTTP API, /metrics and the health probes: off unless `listen` (or HTTP_LISTEN) is set. */
    http: z
      .strictObject({
        /** `host:port`, e.g. `127.0.0.1:3000` or `[::1]:3000`; a bare port means 127.0.0.1. */
        listen: z.string().optional(),
        /** Requests one client may make per window before 429 (error 3002). */
        rateLimit: z.strictObject({ requests: z.number().int().min(1).default(100), window: duration.default(60_000) }).prefault({}),
      })
      .prefault({}),
    /** Dead-man's switch: a GET to `url` after every healthy tick (healthchecks.io, Cronitor). */
    heartbeat: z
      .strictObject({
        url: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
        timeout: duration.default(10_000),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.accounts.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `duplicate account id "${a.id}"` });
      seen.add(a.id);
      if (a.venue === 'paper' && !a.paper) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'paper'], message: 'required for a paper account' });
      if ((a.venue === 'pacifica' || a.venue === 'rasa') && !a.address)
        ctx.addIssue({ code: 'custom', path: ['accounts', i, 'address'], message: `required for a ${a.venue} account` });
      if ((a.venue === 'binance' || a.venue === 'aster') && (!a.apiKeyEnv || !a.apiSecretEnv))
        ctx.addIssue({ code: 'custom', path: ['accounts', i, a.apiKeyEnv ? 'apiSecretEnv' : 'apiKeyEnv'], message: `required for a ${a.venue} account` });
      for (const symbol of Object.keys(a.paper?.positions ?? {})) {
        if (!cfg.venues.paper?.markets[symbol])
          ctx.addIssue({ code: 'custom', path: ['accounts', i, 'paper', 'positions', symbol], message: `no paper market ${symbol} in venues.paper.markets` });
      }
      if (a.venue === 'rasa' && !a.multiAccountAddress)
        ctx.addIssue({ code: 'custom', path: ['accounts', i, 'multiAccountAddress'], message: 'required for a rasa account' });
    });
    cfg.overrides.forEach((o, i) => {
      if (o.account && !seen.has(o.account)) ctx.addIssue({ code: 'custom', path: ['overrides', i, 'account'], message: `unknown account "${o.account}"` });
    });
    cfg.venues.paper?.timeline.forEach((e, i) => {
      if (e.account && !seen.has(e.account)) ctx.addIssue({ code: 'custom', path: ['venues', 'paper', 'timeline', i, 'account'], message: `unknown account "${e.account}"` });
    });
    for (const key of ['routes', 'maintenance'] as const) {
      cfg.alerts[key].forEach((r, i) => {
        const account = r.match.account?.toLowerCase();
        if (account && ![...seen].some((id) => id.toLowerCase() === account)) ctx.addIssue({ code: 'custom', path: ['alerts', key, i, 'match', 'account'], message: `unknown account "${r.match.account}"` });
      });
    }
  });

export type FileConfig = z.infer<typeof configSchema>;
export type AccountConfig = FileConfig['accounts'][number];
export type SymbolConfig = z.infer<typeof symbolSchema>;
export type Thresholds = FileConfig['thresholds'];
export type ThresholdOverride = FileConfig['overrides'][number];
export type PaperVenueConfig = NonNullable<FileConfig['venues']['paper']>;
export type PaperMarketConfig = z.infer<typeof paperMarketSchema>;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
export type VenueEndpointConfig = z.infer<typeof venueEndpointSchema>;
export type FeedsConfig = z.infer<typeof feedsSchema>;
export type HttpFileConfig = FileConfig['http'];

/** Compile-time check that what the schema produces is what the core reads (src/core/settings.ts). */
type Fits<Parsed extends Core, Core> = Parsed;
export type CoreSettingsFit = [
  Fits<Thresholds, CoreSettings.Thresholds>,
  Fits<ThresholdOverride, CoreSettings.ThresholdOverride>,
  Fits<SymbolConfig, CoreSettings.SymbolConfig>,
  Fits<FeedsConfig, CoreSettings.FeedsConfig>,
  Fits<FileConfig['alerts'], Paging.PagingPolicy>,
];
