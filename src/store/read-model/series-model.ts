import { sliceOf, type MetricPoint, type MetricSample, type MetricsStore, type SampledRange } from '../../core/ports/store.js';
import { WriteGate, type ModelPart } from './write-gate.js';

/** Series kept (the ones read last): a few accounts' five and the portfolio's. */
const MAX_SERIES = 32;
/**
 * Points kept per series (~16 bytes each, so at most ~13 MB in all): with the default 15-s tick and 48 h
 * of raw retention a window holds at most 11,520 raw samples plus 24 hourly rows a day. A window with
 * more is read thinned from the store, as without the model.
 */
const MAX_POINTS = 25_000;
const FOREVER = Number.MAX_SAFE_INTEGER;

/** Every point of one series from `from` on, as `range` orders them (appends since included). */
interface KeptSeries {
  from: number;
  ts: number[];
  values: number[];
}

const keyOf = (metric: string, scope: string): string => `${metric}\u0000${scope}`;

/** First index whose ts is > `t` (`after`) or ≥ `t`. */
function bound(ts: readonly number[], t: number, after: boolean): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after ? ts[mid]! <= t : ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `rangeSampled` of the points in memory, as the stores thin: every point when at most `slices`,
 * else the last of each non-empty slice (`sliceOf`); `samples` exact up to `slices`, `slices + 1` above.
 */
function thin(kept: KeptSeries, from: number, to: number, slices: number): SampledRange {
  const lo = bound(kept.ts, from, false);
  const hi = bound(kept.ts, to, true);
  const count = hi - lo;
  const points: MetricPoint[] = [];
  if (count <= slices) {
    for (let i = lo; i < hi; i++) points.push({ ts: kept.ts[i]!, value: kept.values[i]! });
    return { points, samples: count };
  }
  let slice = sliceOf(kept.ts[lo]!, from, to, slices);
  for (let i = lo + 1; i < hi; i++) {
    const next = sliceOf(kept.ts[i]!, from, to, slices);
    if (next !== slice) {
      points.push({ ts: kept.ts[i - 1]!, value: kept.values[i - 1]! });
      slice = next;
    }
  }
  points.push({ ts: kept.ts[hi - 1]!, value: kept.values[hi - 1]! });
  return { points, samples: slices + 1 };
}

/** Drops the points before `t` and keeps the series from `t` on. */
function dropBefore(kept: KeptSeries, t: number): void {
  const n = bound(kept.ts, t, false);
  kept.ts.splice(0, n);
  kept.values.splice(0, n);
  kept.from = t;
}

/**
 * The series `/history` read last, every point from the window it asked for on, kept by the only
 * process that writes them: each append lands here once durable, a compaction drops what it folded.
 * A window that starts before what is kept is read from the store (and kept from then on).
 */
export class SeriesModel implements ModelPart {
  readonly gate = new WriteGate();
  /** By metric, then scope: an append looks its samples up without building a key each. */
  private readonly kept = new Map<string, Map<string, KeptSeries>>();
  /** The series kept, least recently read first. */
  private readonly order = new Map<string, { metric: string; scope: string }>();
  /** Series whose window held more than MAX_POINTS: read thinned from the store. */
  private readonly tooDense = new Set<string>();
  /** Loads in flight, by series: the window start each reads from. */
  private readonly loads = new Map<string, { from: number; done: Promise<void> }>();

  reset(): void {
    this.kept.clear();
    this.order.clear();
    this.tooDense.clear();
    this.gate.bump();
  }

  async rangeSampled(inner: MetricsStore, metric: string, scope: string, from: number, to: number, points: number): Promise<SampledRange> {
    const slices = Math.floor(points);
    if (!(slices >= 1) || !(to >= from)) return inner.rangeSampled(metric, scope, from, to, points);
    const kept = this.kept.get(metric)?.get(scope);
    if (kept && from >= kept.from) {
      this.touch(metric, scope);
      return thin(kept, from, to, slices);
    }
    // The first read of a series is the store's thinned one (a seek per slice), as fast as without the
    // model; every point of the window is read beside it, to be kept for the next reads.
    const answer = inner.rangeSampled(metric, scope, from, to, points);
    this.loadAfter(answer, inner, metric, scope, from);
    return answer;
  }

  /** Resolves once the loads started beside reads have ended (before the store under them closes). */
  async idle(): Promise<void> {
    while (this.loads.size > 0) await Promise.allSettled([...this.loads.values()].map((l) => l.done));
  }

  /** Reads every point of the window from `from` on, once `answer` is in its caller's hands, to keep them. */
  private loadAfter(answer: Promise<unknown>, inner: MetricsStore, metric: string, scope: string, from: number): void {
    const key = keyOf(metric, scope);
    if (this.tooDense.has(key) || (this.loads.get(key)?.from ?? Infinity) <= from) return;
    const done = (async () => {
      await answer;
      // A turn of the event loop: the command answers before this read starts (on SQLite it holds the thread).
      await new Promise<void>((resolve) => setImmediate(resolve));
      const stamp = this.gate.stamp();
      const loaded = await inner.range(metric, scope, from, FOREVER);
      const current = this.kept.get(metric)?.get(scope);
      if (loaded.length > MAX_POINTS) this.tooDense.add(key);
      else if (this.gate.unchangedSince(stamp) && !(current && current.from <= from)) {
        this.keep(metric, scope, { from, ts: loaded.map((p) => p.ts), values: loaded.map((p) => p.value) });
      }
    })()
      // A failed read keeps nothing; the next read tries again (and reports the failure if it fails too).
      .catch(() => undefined)
      .finally(() => {
        if (this.loads.get(key)?.done === done) this.loads.delete(key);
      });
    this.loads.set(key, { from, done });
  }

  appended(samples: readonly MetricSample[]): void {
    if (this.order.size === 0) return;
    for (const s of samples) {
      const kept = this.kept.get(s.metric)?.get(s.scope);
      if (!kept || s.ts < kept.from) continue;
      if (!Number.isFinite(s.value)) {
        // What a store makes of it is its own business: read the series again.
        this.drop(s.metric, s.scope);
        continue;
      }
      // After every point of its ts: same-ts samples keep their order, as `range` gives them.
      if (kept.ts.length === 0 || s.ts >= kept.ts[kept.ts.length - 1]!) {
        kept.ts.push(s.ts);
        kept.values.push(s.value);
      } else {
        const at = bound(kept.ts, s.ts, true);
        kept.ts.splice(at, 0, s.ts);
        kept.values.splice(at, 0, s.value);
      }
      if (kept.ts.length > MAX_POINTS) dropBefore(kept, kept.ts[kept.ts.length - Math.floor(MAX_POINTS * 0.75)]!);
    }
  }

  /**
   * A compaction changed rows before `rawBefore` (raw ones folded into hourly rows) and deleted hourly
   * rows before `downsampledBefore`: the series are kept from there on only.
   */
  compacted(rawBefore: number, downsampledBefore: number): void {
    const changedBefore = Math.max(rawBefore, downsampledBefore);
    for (const byScope of this.kept.values()) for (const kept of byScope.values()) if (kept.from < changedBefore) dropBefore(kept, changedBefore);
  }

  private keep(metric: string, scope: string, series: KeptSeries): void {
    let byScope = this.kept.get(metric);
    if (!byScope) this.kept.set(metric, (byScope = new Map()));
    byScope.set(scope, series);
    this.touch(metric, scope);
    if (this.order.size > MAX_SERIES) {
      const oldest = this.order.values().next().value!;
      this.drop(oldest.metric, oldest.scope);
    }
  }

  /** Most recently read last: the first one is the one dropped when too many are kept. */
  private touch(metric: string, scope: string): void {
    const key = keyOf(metric, scope);
    this.order.delete(key);
    this.order.set(key, { metric, scope });
  }

  private drop(metric: string, scope: string): void {
    this.order.delete(keyOf(metric, scope));
    const byScope = this.kept.get(metric);
    byScope?.delete(scope);
    if (byScope?.size === 0) this.kept.delete(metric);
  }
}
