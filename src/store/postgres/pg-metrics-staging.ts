import type { Logger } from 'pino';
import type { MetricPoint, MetricSample } from '../../core/ports/store.js';
import { STAGING_SLOTS, StagedBuffer } from '../staged-samples.js';
import type { PgContext } from './pg-context.js';
import { StagedSlots, type StagedRow } from './pg-staged-slots.js';

/** New series named; ids in the order asked. */
const INSERT_SERIES = `
  INSERT INTO metrics_series (metric, scope)
  SELECT metric, scope FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s(metric, scope, ord) ORDER BY ord
  ON CONFLICT (metric, scope) DO UPDATE SET metric = EXCLUDED.metric
  RETURNING id, metric, scope`;

/** A slot's samples, sorted by series then ts then append order; `seq` is drawn in that order. */
const MOVE = `
  INSERT INTO metrics_raw (series, ts, value)
  SELECT s, t, v FROM unnest($1::bigint[], $2::bigint[], $3::float8[]) WITH ORDINALITY AS u(s, t, v, o) ORDER BY o`;

const arrayLiteral = (values: ArrayLike<number>): string => {
  let out = '{';
  for (let i = 0; i < values.length; i++) out += (i ? ',' : '') + String(values[i]);
  return `${out}}`;
};

/**
 * The samples appended to PostgreSQL but not yet in `metrics_raw`, as SQLite's store stages them.
 *
 * Writing each tick's samples straight into `metrics_raw` (keyed by series, ts, seq) put one index
 * entry on a different leaf page per series per tick: at 10,000 accounts 50,000 pages of an index
 * larger than the server's buffers, ~1.3 s a tick. Here an append writes one `metrics_staged` row per
 * slot of series (a few sequential pages) and moves one slot's samples, ~32 of each of its series at
 * once, into `metrics_raw` in key order; the staged rows are durable, so a crash loses nothing and the
 * next leader moves them on.
 *
 * The process keeps the staged samples in memory and reads merge them with the database's rows, so a
 * read writes nothing (a read-only store, a standby's). A generation counter makes a read that
 * overlapped a move (rows in `metrics_raw` and still in memory, or neither) start again.
 */
export class PgMetricsStaging {
  private ids = new Map<string, Map<string, number>>();
  private slots = new StagedSlots();
  private nextSlot = 0;
  /** Odd while a write that changes where samples live is committing; bumped again once memory follows. */
  private generation = 0;
  private loaded: Promise<void> | undefined;
  /** Writes one at a time: each starts from the memory the previous one left. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: PgContext,
    /** Where a move that failed in the background is told (nobody waits for it to say so). */
    private readonly logger?: Logger,
  ) {}

  /**
   * Stages `samples` (durable when this resolves), then moves the next slot in the background: the
   * caller waits for its samples to be safe, not for the housekeeping, which the next write waits for
   * instead (writes run one at a time). Inside the caller's transaction (`tx`) it only stages; memory is
   * read again from the database once that transaction commits.
   */
  async append(samples: readonly MetricSample[], tx?: PgContext): Promise<void> {
    const kept = samples.filter((s) => Number.isFinite(s.value));
    await this.exclusive(async () => {
      if (kept.length === 0) return;
      if (tx) {
        await this.stage(tx, kept);
        tx.onCommit(() => this.forget());
        return;
      }
      // New samples become visible to reads once in memory: a read before that sees none of them.
      const { rows, named } = await this.pool.atomic((c) => this.stage(c, kept));
      for (const n of named) this.remember(n.metric, n.scope, n.id);
      this.slots.add(rows);
    });
    // Nothing staged still moves a slot (an idle book keeps draining), unless nothing waits.
    if (!tx && this.slots.count > 0) this.moveNextSlot();
  }

  /** Resolves when the writes started so far (a move in the background included) have ended. */
  async idle(): Promise<void> {
    await this.writing;
  }

  /**
   * Moves the next slot's staged samples into `metrics_raw`, after the writes before it. A failure
   * leaves them staged (memory is read again) and the slot is tried again by the next append's move.
   */
  private moveNextSlot(): void {
    this.exclusive(async () => {
      const slot = this.nextSlot;
      await this.pool.atomic(async (c) => {
        await this.moveSlots(c, [slot]);
        this.generation++;
      });
      this.slots.clear([slot]);
      this.generation++;
      this.nextSlot = (slot + 1) % STAGING_SLOTS;
    }).catch((err: unknown) => {
      this.logger?.warn({ job: 'metrics', err }, 'staged samples not moved into metrics_raw: they stay staged, and the next append moves them');
    });
  }

  /**
   * Moves every staged sample to `metrics_raw`, then runs `fn` (retention folds them next), in one
   * transaction: its own, or the caller's (`tx`; memory is read again once that commits).
   */
  withAllMoved<T>(fn: (c: PgContext) => Promise<T>, timeoutMs: number, tx?: PgContext): Promise<T> {
    const all = Array.from({ length: STAGING_SLOTS }, (_, i) => i);
    return this.exclusive(async () => {
      if (tx) {
        const r = await tx.atomic(async (c) => {
          await this.moveSlots(c, all);
          return fn(c);
        }, timeoutMs);
        tx.onCommit(() => this.forget());
        return r;
      }
      const result = await this.pool.atomic(async (c) => {
        await this.moveSlots(c, all);
        const r = await fn(c);
        this.generation++;
        return r;
      }, timeoutMs);
      this.slots.clear(all);
      this.generation++;
      return result;
    });
  }

  /** Memory no longer follows the database (another transaction changed staged rows): read it again. */
  private forget(): void {
    this.loaded = undefined;
    this.generation += 2;
  }

  /**
   * `read` (a database read of `metric`/`scope` between `from` and `to`) with the staged samples of that
   * series in the window, oldest first (append order for equal ts).
   */
  async withStaged<T>(metric: string, scope: string, from: number, to: number, read: () => Promise<T>): Promise<{ db: T; staged: MetricPoint[] }> {
    const { db, memory } = await this.consistently(() => {
      const series = this.ids.get(metric)?.get(scope);
      return series === undefined ? [] : this.slots.of(series, from, to);
    }, read);
    return { db, staged: memory };
  }

  /** `countDb` (the samples in the database) plus those staged, none counted twice. */
  async withPendingCount(countDb: () => Promise<number>): Promise<number> {
    const { db, memory } = await this.consistently(() => this.slots.count, countDb);
    return db + memory;
  }

  /** What memory holds (`snapshot`) and a database read that saw the same moves: read again if a move overlapped it. */
  private async consistently<S, T>(snapshot: () => S, read: () => Promise<T>): Promise<{ db: T; memory: S }> {
    await this.load();
    for (;;) {
      const before = this.generation;
      if (before % 2 === 1) {
        await this.writing.catch(() => undefined);
        continue;
      }
      const memory = snapshot();
      const db = await read();
      if (this.generation === before) return { db, memory };
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writing.then(async () => {
      await this.load();
      try {
        return await fn();
      } catch (err) {
        // Whether the database committed is unknown (a connection lost at COMMIT): read it again.
        if (this.generation % 2 === 1) this.generation++;
        this.loaded = undefined;
        throw err;
      }
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** The series ids and staged samples as the database has them; once, and again after a failed write. */
  private load(): Promise<void> {
    this.loaded ??= this.reload().catch((err: unknown) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  private async reload(): Promise<void> {
    const [series, staged] = await Promise.all([
      this.pool.query<{ id: number; metric: string; scope: string }>('SELECT id, metric, scope FROM metrics_series'),
      this.pool.query<{ id: number; slot: number; data: Buffer }>('SELECT id, slot, data FROM metrics_staged ORDER BY id'),
    ]);
    this.generation += 2;
    this.ids = new Map();
    for (const r of series.rows) this.remember(r.metric, r.scope, r.id);
    this.slots = new StagedSlots();
    this.slots.add(staged.rows.map((r) => ({ id: r.id, slot: r.slot, samples: StagedBuffer.decode(r.data) })));
  }

  private remember(metric: string, scope: string, id: number): void {
    let scopes = this.ids.get(metric);
    if (!scopes) this.ids.set(metric, (scopes = new Map()));
    scopes.set(scope, id);
  }

  /** Names new series and writes the samples, one `metrics_staged` row per slot. */
  private async stage(c: PgContext, samples: readonly MetricSample[]): Promise<{ rows: StagedRow[]; named: NamedSeries[] }> {
    const unknown = new Map<string, { metric: string; scope: string }>();
    for (const s of samples) if (this.ids.get(s.metric)?.get(s.scope) === undefined) unknown.set(`${s.metric}\u0000${s.scope}`, s);
    let named: NamedSeries[] = [];
    const newIds = new Map<string, number>();
    if (unknown.size > 0) {
      const list = [...unknown.values()];
      named = (await c.query<NamedSeries>(INSERT_SERIES, [list.map((s) => s.metric), list.map((s) => s.scope)])).rows;
      for (const r of named) newIds.set(`${r.metric}\u0000${r.scope}`, r.id);
    }
    const groups = new Map<number, StagedBuffer>();
    for (const s of samples) {
      const series = this.ids.get(s.metric)?.get(s.scope) ?? newIds.get(`${s.metric}\u0000${s.scope}`)!;
      const slot = series % STAGING_SLOTS;
      let g = groups.get(slot);
      if (!g) groups.set(slot, (g = new StagedBuffer()));
      g.push(series, s.ts, s.value);
    }
    const list = [...groups];
    if (list.length === 0) return { rows: [], named };
    const params: unknown[] = [];
    const values = list.map(([slot, g], i) => {
      params.push(slot, g.encode());
      return `($${2 * i + 1}::int, $${2 * i + 2}::bytea)`;
    });
    const { rows } = await c.query<{ id: number; slot: number }>(`INSERT INTO metrics_staged (slot, data) VALUES ${values.join(', ')} RETURNING id, slot`, params);
    // RETURNING follows VALUES order for a plain INSERT.
    return { rows: rows.map((r, i) => ({ id: r.id, slot: r.slot, samples: list[i]![1] })), named };
  }

  /** Writes the slots' staged samples (as memory holds them) to `metrics_raw` and deletes their staged rows. */
  private async moveSlots(c: PgContext, slots: readonly number[]): Promise<void> {
    const moving = new StagedBuffer();
    for (const slot of slots) moving.pushAll(this.slots.slot(slot).samples);
    const through = new Map(slots.map((s) => [s, this.slots.slot(s).through]));
    if (moving.length > 0) {
      const order = moving.order();
      const series = new Float64Array(order.length);
      const ts = new Float64Array(order.length);
      const value = new Float64Array(order.length);
      order.forEach((j, i) => {
        series[i] = moving.series(j);
        ts[i] = moving.ts(j);
        value[i] = moving.value(j);
      });
      await c.query(MOVE, [arrayLiteral(series), arrayLiteral(ts), arrayLiteral(value)]);
    }
    const bounded = [...through].filter(([, id]) => id > 0);
    if (bounded.length > 0) {
      await c.query(
        'DELETE FROM metrics_staged st USING unnest($1::int[], $2::bigint[]) AS b(slot, through) WHERE st.slot = b.slot AND st.id <= b.through',
        [bounded.map(([s]) => s), bounded.map(([, id]) => id)],
      );
    }
  }

}

interface NamedSeries {
  id: number;
  metric: string;
  scope: string;
}
