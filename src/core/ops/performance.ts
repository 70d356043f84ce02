/**
 * Performance counters of the process: operations answered (commands, API requests) and their time,
 * ticks, and a sample of memory and CPU. Plain numbers that `/status`, the HTTP API and `/metrics` all
 * read from here, so they agree.
 */

/** What the process reports about itself (Node's `process` in the app; a fake in tests). */
export interface ProcessProbe {
  /** Resident set size, bytes. */
  rssBytes(): number;
  /** CPU time used since the process started (user + system), µs. */
  cpuMicros(): number;
  /** A clock that never jumps, ms since the process started. */
  monotonicMs(): number;
}

export interface ProcessSample {
  /** When it was taken (the injected clock). */
  at: number;
  rssBytes: number;
  /** CPU used over the sample window, as a fraction of one core (0.031 = 3.1 %). */
  cpuRatio: number;
}

export interface PerformanceView {
  /** Mean time to answer an operation (a command or an API request), ms; 0 before the first. */
  avgResponseTime: number;
  /** Operations answered in the last minute, per second. */
  operationsPerSecond: number;
  totalOperations: number;
  /** Σ seconds spent answering operations (what avgResponseTime divides). */
  operationSeconds: number;
  /** Ticks finished in the last minute. */
  ticksPerMinute: number;
  totalTicks: number;
  /** Resident memory, MB (2^20 bytes). */
  memoryUsage: number;
  /** CPU, % of one core over the sample window. */
  cpuUsage: number;
  process: ProcessSample;
}

/** A count over the last 60 s in one-second slots: O(60) memory whatever the rate. */
export class MinuteWindow {
  private readonly secs = new Array<number>(60).fill(-1);
  private readonly counts = new Array<number>(60).fill(0);

  add(now: number, n = 1): void {
    const sec = Math.floor(now / 1000);
    const i = ((sec % 60) + 60) % 60;
    if (this.secs[i] !== sec) {
      this.secs[i] = sec;
      this.counts[i] = 0;
    }
    this.counts[i]! += n;
  }

  /** Events in the 60 seconds up to and including `now`'s second. */
  count(now: number): number {
    const sec = Math.floor(now / 1000);
    let total = 0;
    for (let i = 0; i < 60; i++) {
      const s = this.secs[i]!;
      if (s > sec - 60 && s <= sec) total += this.counts[i]!;
    }
    return total;
  }
}

/** A process sample is reused this long: `/status` and a scrape right after it show the same numbers. */
export const SAMPLE_EVERY_MS = 5_000;

export class PerformanceCounters {
  private operations = 0;
  private operationSeconds = 0;
  private ticks = 0;
  private readonly opsWindow = new MinuteWindow();
  private readonly tickWindow = new MinuteWindow();
  private sample: ProcessSample | undefined;
  /** CPU and monotonic time at the last sample; the first sample averages over the process's life. */
  private lastCpu = { micros: 0, ms: 0 };

  constructor(private readonly deps: { now: () => number; probe: ProcessProbe }) {}

  recordOperation(seconds: number): void {
    this.operations++;
    this.operationSeconds += seconds;
    this.opsWindow.add(this.deps.now());
  }

  recordTick(): void {
    this.ticks++;
    this.tickWindow.add(this.deps.now());
  }

  /** The process sample, taken again when the last one is older than SAMPLE_EVERY_MS. */
  processSample(): ProcessSample {
    const now = this.deps.now();
    const s = this.sample;
    if (s && now >= s.at && now - s.at < SAMPLE_EVERY_MS) return s;
    const { probe } = this.deps;
    const micros = probe.cpuMicros();
    const ms = probe.monotonicMs();
    const wallMicros = (ms - this.lastCpu.ms) * 1000;
    const cpuRatio = wallMicros > 0 ? Math.max(0, micros - this.lastCpu.micros) / wallMicros : 0;
    this.lastCpu = { micros, ms };
    this.sample = { at: now, rssBytes: probe.rssBytes(), cpuRatio };
    return this.sample;
  }

  view(): PerformanceView {
    const now = this.deps.now();
    const p = this.processSample();
    return {
      avgResponseTime: this.operations > 0 ? (this.operationSeconds / this.operations) * 1000 : 0,
      operationsPerSecond: this.opsWindow.count(now) / 60,
      totalOperations: this.operations,
      operationSeconds: this.operationSeconds,
      ticksPerMinute: this.tickWindow.count(now),
      totalTicks: this.ticks,
      memoryUsage: p.rssBytes / 2 ** 20,
      cpuUsage: p.cpuRatio * 100,
      process: p,
    };
  }
}

