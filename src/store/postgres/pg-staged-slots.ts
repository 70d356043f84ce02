import { sliceOf, type MetricPoint, type SampledRange } from '../../core/ports/store.js';
import { STAGING_SLOTS, StagedBuffer } from '../staged-samples.js';

/** A slot read this often since it last changed gets a per-series index (the first tick reads every series). */
const INDEX_AFTER_READS = 8;

/** One `metrics_staged` row: its id, its slot and its samples. */
export interface StagedRow {
  id: number;
  slot: number;
  samples: StagedBuffer;
}

/** A slot's staged samples and what the database holds of them. */
interface Slot {
  samples: StagedBuffer;
  /** Highest `metrics_staged.id` of this slot whose samples are in `samples`: a move deletes up to it. */
  through: number;
  /** Positions in `samples` by series, built once a slot is read often. */
  index?: Map<number, number[]>;
  reads: number;
}

/**
 * The staged samples a PostgreSQL store holds in memory, by slot of series (series id mod
 * STAGING_SLOTS): what `metrics_staged` holds, so that reads can merge them without a query.
 */
export class StagedSlots {
  private readonly slots: Slot[] = Array.from({ length: STAGING_SLOTS }, () => ({ samples: new StagedBuffer(), through: 0, reads: 0 }));
  /** Samples held, every slot together. */
  count = 0;

  /** The slot's samples (to move them) and the highest staged row id they come from. */
  slot(slot: number): { samples: StagedBuffer; through: number } {
    return this.slots[slot]!;
  }

  /** Staged rows now committed: each sample to its series' slot. */
  add(rows: readonly StagedRow[]): void {
    for (const r of rows) {
      for (let i = 0; i < r.samples.length; i++) {
        const slot = this.slots[r.samples.series(i) % STAGING_SLOTS]!;
        slot.samples.push(r.samples.series(i), r.samples.ts(i), r.samples.value(i));
        slot.index = undefined;
        slot.reads = 0;
        this.count++;
      }
      const slot = this.slots[r.slot];
      if (slot) slot.through = Math.max(slot.through, r.id);
    }
  }

  /** Slots whose samples are now in `metrics_raw`. */
  clear(slots: readonly number[]): void {
    for (const s of slots) {
      const slot = this.slots[s]!;
      this.count -= slot.samples.length;
      slot.samples.clear();
      slot.index = undefined;
      slot.reads = 0;
      slot.through = 0;
    }
  }

  /** The series' staged samples between `from` and `to`, by ts (append order for equal ts). */
  of(series: number, from: number, to: number): MetricPoint[] {
    const slot = this.slots[series % STAGING_SLOTS]!;
    const buf = slot.samples;
    const out: MetricPoint[] = [];
    const take = (i: number): void => {
      const ts = buf.ts(i);
      if (ts >= from && ts <= to) out.push({ ts, value: buf.value(i) });
    };
    if (!slot.index && ++slot.reads >= INDEX_AFTER_READS) {
      slot.index = new Map();
      for (let i = 0; i < buf.length; i++) {
        const s = buf.series(i);
        const list = slot.index.get(s);
        if (list) list.push(i);
        else slot.index.set(s, [i]);
      }
    }
    if (slot.index) for (const i of slot.index.get(series) ?? []) take(i);
    else for (let i = 0; i < buf.length; i++) if (buf.series(i) === series) take(i);
    // Stable: samples with the same ts stay in append order.
    return out.sort((a, b) => a.ts - b.ts);
  }
}

/**
 * `db` (RANGE's rows: hourly then raw, each in order) and `staged` (newer than any raw row) in RANGE's
 * order: by ts, and for equal ts hourly, raw, then staged.
 */
export function mergeStaged(db: readonly MetricPoint[], staged: readonly MetricPoint[]): MetricPoint[] {
  if (staged.length === 0) return [...db];
  if (db.length === 0) return [...staged];
  return [...db, ...staged].sort((a, b) => a.ts - b.ts);
}

/**
 * A thinned database read (`db`: every row when at most `slices`, else the last of each slice) with the
 * staged samples of the window: the last of each slice of both, or everything when that is few enough.
 */
export function thinWithStaged(db: SampledRange, staged: readonly MetricPoint[], from: number, to: number, slices: number): SampledRange {
  if (staged.length === 0) return db;
  const samples = db.samples + staged.length;
  const merged = mergeStaged(db.points, staged);
  if (samples <= slices) return { points: merged, samples };
  const bySlice = new Map<number, MetricPoint>();
  for (const p of merged) bySlice.set(sliceOf(p.ts, from, to, slices), p);
  return { points: [...bySlice.values()], samples };
}
