import type { AppConfig } from '../config/load-config.js';
import { ErrorCode, isDeltaOpsError } from '../core/errors.js';
import { runBounded } from '../core/sync/run-bounded.js';
import { withTimeout } from '../core/sync/with-timeout.js';
import type { VenueId } from '../core/types.js';
import type { AccountRef, KeyPermissions, VenueAdapter } from '../core/ports/venue-adapter.js';
import { isVenueError } from '../venues/http/venue-error.js';
import { accountRef } from '../venues/registry.js';

/** What `doctor` found for one venue's public endpoint. */
export interface VenueCheck {
  venue: VenueId;
  reachable: boolean;
  latencyMs?: number;
  note: string;
}

export type CredentialState = 'valid' | 'rejected' | 'missing' | 'not needed' | 'unknown';

/** What `doctor` found for one account. */
export interface AccountCheck {
  id: string;
  venue: VenueId;
  reachable: boolean;
  latencyMs?: number;
  credentials: CredentialState;
  /** Undefined where the venue exposes no key permissions or the key could not be checked. */
  permissions?: KeyPermissions;
  /** What `permissions.canTrade/canWithdraw` describe: this key, or only the account behind it. */
  permissionScope?: 'key' | 'account';
  note: string;
  /** Loud lines that fail the check: a key that can trade or withdraw, an unreachable or unreadable account. */
  warnings: string[];
  /** Loud lines that do not fail it: read-only could not be confirmed and a person must look. */
  cautions: string[];
}

export interface DoctorReport {
  venues: VenueCheck[];
  accounts: AccountCheck[];
  /** True when nothing needs attention (the exit code is 0). */
  ok: boolean;
}

export interface DoctorDeps {
  config: AppConfig;
  adapters: ReadonlyMap<VenueId, VenueAdapter>;
  now: () => number;
}

/** Venues whose reads are signed with the account's own key; the others read public data by address. */
const KEYED: ReadonlySet<VenueId> = new Set(['binance', 'aster']);
const UNREACHABLE_KINDS = new Set(['timeout', 'network', 'proxy', 'circuit-open']);
/**
 * Venues whose checkKey flags describe the account, not the key: the Binance-like adapters read
 * `canTrade`/`canWithdraw` from an account endpoint because the futures API has no per-key permissions.
 * Nearly every account can trade, so these flags cannot prove a key read-only or not: a person checks.
 */
const ACCOUNT_LEVEL_FLAGS: ReadonlySet<VenueId> = new Set(['binance', 'aster']);

function message(err: unknown): string {
  return isDeltaOpsError(err) ? err.message : err instanceof Error ? err.name : 'unknown error';
}

function unreachable(err: unknown): boolean {
  if (isVenueError(err)) return UNREACHABLE_KINDS.has(err.kind);
  return isDeltaOpsError(err) && (err.code === ErrorCode.VenueTimeout || err.code === ErrorCode.ConnectionFailed);
}

async function timed<T>(now: () => number, ms: number, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; latencyMs: number }> {
  const started = now();
  const value = await withTimeout(ms, what, fn);
  return { value, latencyMs: now() - started };
}

/** One public call per venue: is the venue there at all (and, for Binance-likes, its clock offset taken). */
async function checkVenue(deps: DoctorDeps, venue: VenueId, adapter: VenueAdapter): Promise<VenueCheck> {
  const caps = adapter.capabilities;
  const call = caps.marketSpecs ? 'markets' : caps.markPrices ? 'prices' : 'funding';
  try {
    const { latencyMs } = await timed(deps.now, deps.config.sync.accountTimeout, `${venue} ${call}`, async (signal): Promise<unknown> =>
      call === 'markets' ? adapter.fetchMarkets({ signal }) : call === 'prices' ? adapter.fetchPrices({ signal }) : adapter.fetchFunding({ signal }),
    );
    return { venue, reachable: true, latencyMs, note: `public ${call} answered` };
  } catch (err) {
    return { venue, reachable: !unreachable(err), note: message(err) };
  }
}

function permissionFindings(a: AccountRef, p: KeyPermissions, scope: 'key' | 'account'): { warnings: string[]; cautions: string[] } {
  const can = [p.canTrade ? 'TRADE' : undefined, p.canWithdraw ? 'WITHDRAW' : undefined].filter((x): x is string => x !== undefined);
  if (can.length === 0) return { warnings: [], cautions: [] };
  if (scope === 'account') {
    return {
      warnings: [],
      cautions: [`${a.id} (${a.venue}): the account can ${can.join(' and ')} and ${a.venue} does not say what this key may do; confirm in its API management that the key has read permission only.`],
    };
  }
  return { warnings: [`${a.id} (${a.venue}): the API key can ${can.join(' and ')}. delta-ops only reads: replace it with a read-only key.`], cautions: [] };
}

async function checkAccount(deps: DoctorDeps, adapter: VenueAdapter | undefined, a: AccountRef, venue: VenueCheck | undefined): Promise<AccountCheck> {
  const base = { id: a.id, venue: a.venue };
  const keyed = KEYED.has(a.venue);
  if (!adapter) return { ...base, reachable: false, credentials: 'unknown', note: 'no adapter for this venue', warnings: [`${a.id}: no adapter for venue ${a.venue}`], cautions: [] };
  let latencyMs: number;
  try {
    latencyMs = (await timed(deps.now, deps.config.sync.accountTimeout, `read of ${a.id}`, (signal) => adapter.fetchAccount(a, { signal }))).latencyMs;
  } catch (err) {
    // A circuit opened by the venue check's failures hides the cause: name the venue's own error instead.
    const note = isVenueError(err) && err.kind === 'circuit-open' && venue && !venue.reachable ? venue.note : message(err);
    if (unreachable(err)) return { ...base, reachable: false, credentials: 'unknown', note, warnings: [`${a.id} (${a.venue}) is UNREACHABLE: ${note}`], cautions: [] };
    const rejected = (isVenueError(err) && err.kind === 'auth') || (isDeltaOpsError(err) && err.code === ErrorCode.PermissionDenied);
    const missing = !rejected && isDeltaOpsError(err) && err.code === ErrorCode.InvalidAccount && !isVenueError(err);
    const credentials: CredentialState = rejected ? 'rejected' : missing && keyed ? 'missing' : keyed ? 'unknown' : 'not needed';
    return { ...base, reachable: true, credentials, note, warnings: [`${a.id} (${a.venue}) cannot be read: ${note}`], cautions: [] };
  }
  const check: AccountCheck = { ...base, reachable: true, latencyMs, credentials: keyed ? 'valid' : 'not needed', note: keyed ? 'signed read works' : 'public read by address', warnings: [], cautions: [] };
  if (!adapter.capabilities.keyPermissions || !adapter.checkKey) {
    check.note += '; the venue exposes no key permissions';
    return check;
  }
  try {
    const p = (await timed(deps.now, deps.config.sync.accountTimeout, `key check of ${a.id}`, (signal) => adapter.checkKey!(a, { signal }))).value;
    const scope = ACCOUNT_LEVEL_FLAGS.has(a.venue) ? 'account' : 'key';
    check.permissions = p;
    check.permissionScope = scope;
    if (p.detail) check.note = p.detail;
    if (!p.canRead) check.warnings.push(`${a.id} (${a.venue}): the key cannot read: ${p.detail ?? 'no read permission'}`);
    const found = permissionFindings(a, p, scope);
    check.warnings.push(...found.warnings);
    check.cautions.push(...found.cautions);
  } catch (err) {
    check.note = `key permissions not checked: ${message(err)}`;
  }
  return check;
}

/**
 * `doctor`: every venue's public endpoint, then every configured account: reachable and how fast,
 * credentials accepted, and what the key may do where the venue says. Read-only calls only.
 */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const entries = [...deps.adapters.entries()];
  const venueResults = await runBounded(entries, entries.length, ([venue, adapter]) => checkVenue(deps, venue, adapter));
  const venues = venueResults.map((r, i): VenueCheck => (r.ok ? r.value : { venue: entries[i]![0], reachable: false, note: message(r.error) }));
  const refs = deps.config.accounts.map(accountRef);
  const results = await runBounded(refs, deps.config.sync.concurrency, (a) => checkAccount(deps, deps.adapters.get(a.venue), a, venues.find((v) => v.venue === a.venue)));
  const accounts = results.map((r, i): AccountCheck => {
    if (r.ok) return r.value;
    const a = refs[i]!;
    return { id: a.id, venue: a.venue, reachable: false, credentials: 'unknown', note: message(r.error), warnings: [`${a.id}: check failed: ${message(r.error)}`], cautions: [] };
  });
  return { venues, accounts, ok: accounts.every((a) => a.warnings.length === 0) };
}
