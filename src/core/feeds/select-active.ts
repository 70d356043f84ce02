import type { FeedEventKind, FeedState } from './types.js';

export interface Candidate {
  name: string;
  state: FeedState;
  reason: string;
  healthyStreak: number;
}

export interface Selection {
  active?: string;
  /** Set when the active feed changes (not on the very first choice). */
  change?: { kind: Extract<FeedEventKind, 'failover' | 'failback' | 'lost' | 'restored'>; from?: string; to?: string; reason: string };
}

/** The best feed that can serve: healthy before degraded, each in rank order. */
function firstUsable(ranked: readonly Candidate[]): Candidate | undefined {
  return ranked.find((c) => c.state === 'healthy') ?? ranked.find((c) => c.state === 'degraded');
}

/**
 * Which feed serves a symbol this tick. `ranked` is in preference order (primary first). The active feed
 * keeps serving while it is not failing, even when degraded, so a slow tick does not flap the choice;
 * a failing one is replaced at once by the best usable feed. A feed ranked above the active one takes
 * over again only after `recoverTicks` healthy ticks in a row (hysteresis).
 */
export function selectActive(ranked: readonly Candidate[], current: string | undefined, wasLost: boolean, recoverTicks: number): Selection {
  const cur = current === undefined ? undefined : ranked.find((c) => c.name === current);
  if (!cur || cur.state === 'failing') {
    const next = firstUsable(ranked);
    if (current === undefined) {
      if (!next) return {};
      return wasLost ? { active: next.name, change: { kind: 'restored', to: next.name, reason: `${next.name} can serve again` } } : { active: next.name };
    }
    const why = cur ? `${current} failing: ${cur.reason}` : `${current} no longer quotes it`;
    if (!next) return { change: { kind: 'lost', from: current, reason: `${why}; no other feed can serve` } };
    return { active: next.name, change: { kind: 'failover', from: current, to: next.name, reason: why } };
  }
  for (const c of ranked) {
    if (c.name === cur.name) break;
    if (c.state === 'healthy' && c.healthyStreak >= recoverTicks) {
      return { active: c.name, change: { kind: 'failback', from: cur.name, to: c.name, reason: `${c.name} healthy for ${c.healthyStreak} ticks` } };
    }
  }
  return { active: cur.name };
}
