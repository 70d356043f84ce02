import type { Engine } from './engine.js';
import type { AccountId } from './types.js';

/** What an on-demand sync answers (`/sync`, `POST /api/v1/account/sync`). */
export interface OnDemandSyncResult {
  /** The tick that served the request (one already running, or one started for it). */
  seq: number;
  synced: AccountId[];
  failed: { account: AccountId; code: number; message: string }[];
  /** Accounts asked for that are not configured. */
  unknown: string[];
  /** Wall time of the tick that served it, ms. */
  ms: number;
}

/**
 * Syncs now: joins the tick in flight if there is one, else runs one (each venue call bounded by the
 * account timeout, as in every tick), and reports the accounts asked for (all when none is named).
 * A full tick rather than a partial one: the alerts and history stay consistent with what was fetched.
 */
export async function syncNow(engine: Pick<Engine, 'tick' | 'snapshot'>, accounts?: readonly string[]): Promise<OnDemandSyncResult> {
  const result = await engine.tick();
  const snapshot = engine.snapshot();
  const all = snapshot?.accounts ?? [];
  const wanted = accounts?.length ? new Set(accounts.map((a) => a.toLowerCase())) : undefined;
  const chosen = wanted ? all.filter((a) => wanted.has(a.id.toLowerCase())) : all;
  const known = new Set(all.map((a) => a.id.toLowerCase()));
  return {
    seq: result.seq,
    synced: chosen.filter((a) => a.status === 'ok').map((a) => a.id),
    failed: chosen
      .filter((a) => a.status !== 'ok')
      .map((a) => ({ account: a.id, code: a.lastError?.code ?? 2001, message: a.lastError?.message ?? 'not synced' })),
    unknown: (accounts ?? []).filter((a) => !known.has(a.toLowerCase())),
    ms: result.ms,
  };
}
