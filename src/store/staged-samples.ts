/**
 * Series are spread over this many slots (series id mod STAGING_SLOTS). Each append stages its samples
 * and moves the oldest slot's staged samples to `metrics_raw`, so a series reaches `metrics_raw` every
 * STAGING_SLOTS appends with that many samples at once (both stores).
 */
export const STAGING_SLOTS = 32;

/**
 * Samples waiting to move to `metrics_raw`, as (series, ts, value) float64 triples: a tick's samples
 * cost one growable array per slot instead of an object each (at 10,000 accounts 50,000 objects a
 * tick, kept for 32 ticks, were most of the garbage collector's work).
 */
export class StagedBuffer {
  private data = new Float64Array(3 * 64);
  private n = 0;

  get length(): number {
    return this.n;
  }

  push(series: number, ts: number, value: number): void {
    if (3 * (this.n + 1) > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[3 * this.n] = series;
    this.data[3 * this.n + 1] = ts;
    this.data[3 * this.n + 2] = value;
    this.n++;
  }

  pushAll(other: StagedBuffer): void {
    for (let i = 0; i < other.n; i++) this.push(other.series(i), other.ts(i), other.value(i));
  }

  series(i: number): number {
    return this.data[3 * i]!;
  }

  ts(i: number): number {
    return this.data[3 * i + 1]!;
  }

  value(i: number): number {
    return this.data[3 * i + 2]!;
  }

  clear(): void {
    this.n = 0;
    // Let a buffer that grew for a burst shrink back.
    if (this.data.length > 3 * 65_536) this.data = new Float64Array(3 * 64);
  }

  /** Indexes ordered by series, then ts, then position (stable). */
  order(): Uint32Array {
    const idx = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) idx[i] = i;
    return idx.sort((a, b) => this.series(a) - this.series(b) || this.ts(a) - this.ts(b) || a - b);
  }

  /** Little-endian float64 triples: exact, and portable across hosts. */
  encode(): Buffer {
    const buf = Buffer.allocUnsafe(this.n * 24);
    for (let i = 0; i < 3 * this.n; i++) buf.writeDoubleLE(this.data[i]!, 8 * i);
    return buf;
  }

  static decode(data: Buffer): StagedBuffer {
    if (data.length % 24 !== 0) throw new Error(`metrics_staged: a row of ${data.length} bytes is not whole samples`);
    const out = new StagedBuffer();
    for (let o = 0; o < data.length; o += 24) out.push(data.readDoubleLE(o), data.readDoubleLE(o + 8), data.readDoubleLE(o + 16));
    return out;
  }
}
