import type { Database, Statement } from './driver.js';
import { sliceEnds, type MetricPoint, type MetricSample, type MetricsStore, type SampledRange } from '../../core/ports/store.js';
import { mergeSampled } from '../sampled-range.js';
import { STAGING_SLOTS, StagedBuffer } from '../staged-samples.js';

const HOUR = 3_600_000;

/** Rows per multi-row INSERT: fewer statement runs for the same rows. */
const ROWS_PER_INSERT = 64;
const SEQ_KEY = 'metrics.rawSeq';

/**
 * Metrics history: raw samples, folded into hourly rows as they age, deleted past retention.
 *
 * Layout (migration 003): a series is an id in `metrics_series`; `metrics_raw` is keyed by (series,
 * ts, seq) with no other index. Writing every series' sample every tick straight into a series-keyed
 * tree dirties one page per series per tick (5,000 series at 1,000 accounts: ~20 MB of WAL and
 * checkpoint per tick, and the cost per row grew with the history). So samples are staged first:
 * appended in order to `metrics_staged` (a few pages per tick), then moved a slot at a time, ~32
 * samples of a series at once into the same page. A sample is durable once `append` returns; a crash
 * loses nothing, and the next start moves the staged rows on. Every read first moves what it could
 * see, so the store answers exactly as if each sample had been written to `metrics_raw` at once.
 */
export class SqliteMetricsStore implements MetricsStore {
  private readonly insertOne: Statement;
  private readonly insertMany: Statement;
  private readonly insertSeries: Statement;
  private readonly stage: Statement;
  private readonly unstage: Statement;
  private readonly saveSeq: Statement;
  private readonly selectRaw: Statement;
  private readonly selectHourly: Statement;
  private readonly countRaw: Statement;
  private readonly sampleRaw: Statement;
  /** Series id by metric, then scope (no key string built per sample). */
  private readonly ids = new Map<string, Map<string, number>>();
  /** The staged samples of each slot, in append order (mirrors `metrics_staged`). */
  private pending: StagedBuffer[] = [];
  private pendingCount = 0;
  private nextSlot = 0;
  private nextStagedId = 0;
  private seq = 0;
  /** The last window's slice ends as JSON: a request reads each of its series over the same slices. */
  private ends = { from: 0, to: 0, slices: 0, json: '' };

  constructor(private readonly db: Database) {
    this.insertOne = db.prepare('INSERT INTO metrics_raw (series, ts, seq, value) VALUES (?, ?, ?, ?)');
    this.insertMany = db.prepare(`INSERT INTO metrics_raw (series, ts, seq, value) VALUES ${Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`);
    this.insertSeries = db.prepare('INSERT INTO metrics_series (metric, scope) VALUES (?, ?)');
    this.stage = db.prepare('INSERT INTO metrics_staged (slot, id, data) VALUES (?, ?, ?)');
    this.unstage = db.prepare('DELETE FROM metrics_staged WHERE slot = ?');
    this.saveSeq = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.selectRaw = db.prepare('SELECT ts, value FROM metrics_raw WHERE series = ? AND ts BETWEEN ? AND ? ORDER BY ts, seq');
    this.selectHourly = db.prepare('SELECT ts, avg AS value FROM metrics_hourly WHERE metric = ? AND scope = ? AND ts BETWEEN ? AND ? ORDER BY ts');
    // Counts only as far as a thinned read needs to know (every point, or more than the slices).
    this.countRaw = db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM metrics_raw WHERE series = ? AND ts BETWEEN ? AND ? LIMIT ?)');
    // The last raw row of each slice: per slice end (JSON array), one seek back to the newest ts at or
    // before it (an empty slice finds the one before, which `IN` counts once), then that ts's rows by
    // key, oldest seq first (the caller keeps the last). A seek per slice, whatever the samples.
    this.sampleRaw = db.prepare(`
      SELECT ts, value FROM metrics_raw
      WHERE series = :series AND ts IN (
        SELECT (SELECT ts FROM metrics_raw WHERE series = :series AND ts BETWEEN :from AND e.value ORDER BY ts DESC LIMIT 1)
        FROM json_each(:ends) e)
      ORDER BY ts, seq`);
    this.reload();
  }

  async append(samples: readonly MetricSample[]): Promise<void> {
    try {
      this.db.transaction(() => {
        const groups = new Map<number, StagedBuffer>();
        for (const s of samples) {
          if (!Number.isFinite(s.value)) continue;
          const series = this.seriesId(s.metric, s.scope);
          const slot = series % STAGING_SLOTS;
          let g = groups.get(slot);
          if (!g) groups.set(slot, (g = new StagedBuffer()));
          g.push(series, s.ts, s.value);
        }
        for (const [slot, rows] of groups) {
          this.stage.run(slot, ++this.nextStagedId, rows.encode());
          this.pending[slot]!.pushAll(rows);
          this.pendingCount += rows.length;
        }
        this.moveSlot(this.nextSlot);
      })();
    } catch (err) {
      // The transaction rolled back: the database is the truth again (staged rows, series ids).
      this.reload();
      throw err;
    }
    this.nextSlot = (this.nextSlot + 1) % STAGING_SLOTS;
  }

  async range(metric: string, scope: string, from: number, to: number): Promise<MetricPoint[]> {
    const series = this.ids.get(metric)?.get(scope);
    if (series !== undefined && this.pending[series % STAGING_SLOTS]!.length) this.db.transaction(() => this.moveSlot(series % STAGING_SLOTS))();
    const hourly = this.selectHourly.all(metric, scope, from, to) as MetricPoint[];
    const raw = series === undefined ? [] : (this.selectRaw.all(series, from, to) as MetricPoint[]);
    if (hourly.length === 0) return raw;
    // Hourly rows cover only what was folded, which is older than any remaining raw row.
    return [...hourly, ...raw].sort((a, b) => a.ts - b.ts);
  }

  async rangeSampled(metric: string, scope: string, from: number, to: number, points: number): Promise<SampledRange> {
    const slices = Math.max(1, Math.floor(points));
    const series = this.ids.get(metric)?.get(scope);
    if (series !== undefined && this.pending[series % STAGING_SLOTS]!.length) this.db.transaction(() => this.moveSlot(series % STAGING_SLOTS))();
    const hourly = this.selectHourly.all(metric, scope, from, to) as MetricPoint[];
    const raw = series === undefined ? 0 : (this.countRaw.get(series, from, to, slices + 1) as { n: number }).n;
    const samples = Math.min(slices + 1, hourly.length + raw);
    if (samples <= slices) return { points: await this.range(metric, scope, from, to), samples };
    const last: MetricPoint[] = [];
    if (raw > 0) {
      const rows = this.sampleRaw.all({ series, from, ends: this.sliceEndsJson(from, to, slices) }) as MetricPoint[];
      // Several rows of one ts (same-ts samples, by seq): the last is the slice's.
      for (const r of rows) {
        if (last.length && last[last.length - 1]!.ts === r.ts) last[last.length - 1] = r;
        else last.push(r);
      }
    }
    return { points: mergeSampled(hourly, last, from, to, slices), samples };
  }

  private sliceEndsJson(from: number, to: number, slices: number): string {
    const e = this.ends;
    if (e.from !== from || e.to !== to || e.slices !== slices) this.ends = { from, to, slices, json: JSON.stringify(sliceEnds(from, to, slices)) };
    return this.ends.json;
  }

  async compact(rawBefore: number, downsampledBefore: number): Promise<number> {
    const cutoff = Math.floor(rawBefore / HOUR) * HOUR;
    return this.db.transaction(() => {
      this.moveAll();
      // Series by series: `metrics_raw` has no ts index (it would cost every insert), its key finds a
      // series' old rows directly.
      const any = this.db.prepare('SELECT 1 FROM metrics_raw WHERE series = ? AND ts < ? LIMIT 1');
      const fold = this.db.prepare(
        `INSERT INTO metrics_hourly (metric, scope, ts, avg, min, max, n)
         SELECT ?, ?, (ts / ${HOUR}) * ${HOUR} AS h, AVG(value), MIN(value), MAX(value), COUNT(*)
         FROM metrics_raw WHERE series = ? AND ts < ? GROUP BY h
         ON CONFLICT (metric, scope, ts) DO UPDATE SET
           avg = (avg * n + excluded.avg * excluded.n) / (n + excluded.n),
           min = MIN(min, excluded.min), max = MAX(max, excluded.max), n = n + excluded.n`,
      );
      const drop = this.db.prepare('DELETE FROM metrics_raw WHERE series = ? AND ts < ?');
      let raw = 0;
      for (const [metric, scopes] of this.ids) {
        for (const [scope, series] of scopes) {
          if (!any.get(series, cutoff)) continue;
          fold.run(metric, scope, series, cutoff);
          raw += drop.run(series, cutoff).changes;
        }
      }
      const hourly = this.db.prepare('DELETE FROM metrics_hourly WHERE ts < ?').run(downsampledBefore).changes;
      return raw + hourly;
    })();
  }

  async count(): Promise<number> {
    const a = this.db.prepare('SELECT COUNT(*) AS n FROM metrics_raw').get() as { n: number };
    const b = this.db.prepare('SELECT COUNT(*) AS n FROM metrics_hourly').get() as { n: number };
    return a.n + b.n + this.pendingCount;
  }

  /** Moves every staged sample to `metrics_raw` (on close, so the file holds plain rows). */
  flush(): void {
    if (this.pendingCount > 0) this.db.transaction(() => this.moveAll())();
  }

  private seriesId(metric: string, scope: string): number {
    let scopes = this.ids.get(metric);
    if (!scopes) this.ids.set(metric, (scopes = new Map()));
    let id = scopes.get(scope);
    if (id === undefined) {
      id = Number(this.insertSeries.run(metric, scope).lastInsertRowid);
      scopes.set(scope, id);
    }
    return id;
  }

  private moveAll(): void {
    for (let s = 0; s < STAGING_SLOTS; s++) this.moveSlot(s);
  }

  /** Writes a slot's staged samples to `metrics_raw` grouped by series; call inside a transaction. */
  private moveSlot(slot: number): void {
    const rows = this.pending[slot]!;
    const count = rows.length;
    if (count === 0) return;
    // Samples of a series with the same ts keep their append order (and get increasing seq).
    const order = rows.order();
    const params = new Array<number>(ROWS_PER_INSERT * 4);
    let i = 0;
    for (; i + ROWS_PER_INSERT <= count; i += ROWS_PER_INSERT) {
      for (let k = 0; k < ROWS_PER_INSERT; k++) {
        const j = order[i + k]!;
        params[4 * k] = rows.series(j);
        params[4 * k + 1] = rows.ts(j);
        params[4 * k + 2] = ++this.seq;
        params[4 * k + 3] = rows.value(j);
      }
      this.insertMany.run(params);
    }
    for (; i < count; i++) {
      const j = order[i]!;
      this.insertOne.run(rows.series(j), rows.ts(j), ++this.seq, rows.value(j));
    }
    this.unstage.run(slot);
    this.saveSeq.run(SEQ_KEY, String(this.seq));
    rows.clear();
    this.pendingCount -= count;
  }

  /** Series ids, the seq counter and the staged samples as the database has them (at open, after a rollback). */
  /** Reloads the in-memory series ids and staged samples from the database (after a rollback). */
  reload(): void {
    this.ids.clear();
    for (const r of this.db.prepare('SELECT id, metric, scope FROM metrics_series').all() as { id: number; metric: string; scope: string }[]) {
      let scopes = this.ids.get(r.metric);
      if (!scopes) this.ids.set(r.metric, (scopes = new Map()));
      scopes.set(r.scope, r.id);
    }
    const seq = this.db.prepare('SELECT value FROM kv WHERE key = ?').get(SEQ_KEY) as { value: string } | undefined;
    this.seq = Math.max(this.seq, Number(seq?.value ?? 0) || 0);
    this.recover();
  }

  /** Loads the staged samples (at open, and after a failed append). */
  private recover(): void {
    this.pending = Array.from({ length: STAGING_SLOTS }, () => new StagedBuffer());
    this.pendingCount = 0;
    const rows = this.db.prepare('SELECT slot, id, data FROM metrics_staged ORDER BY slot, id').all() as { slot: number; id: number; data: Buffer }[];
    let misplaced = false;
    for (const r of rows) {
      const staged = StagedBuffer.decode(r.data);
      for (let i = 0; i < staged.length; i++) {
        const slot = staged.series(i) % STAGING_SLOTS;
        misplaced ||= slot !== r.slot;
        this.pending[slot]!.push(staged.series(i), staged.ts(i), staged.value(i));
        this.pendingCount++;
      }
      this.nextStagedId = Math.max(this.nextStagedId, r.id);
    }
    // Staged by a version with another slot count: move it all now, so no staged row outlives its samples.
    if (misplaced) {
      this.db.transaction(() => {
        this.moveAll();
        this.db.prepare('DELETE FROM metrics_staged').run();
      })();
    }
  }
}

