import { cpus, totalmem } from 'node:os';

/** One timed run: the wall time, and when the benchmark has one, the ideal it is compared with. */
export interface Sample {
  ms: number;
  idealMs?: number;
}

/**
 * A named benchmark. `setup` builds what the runs share (servers, clients) and returns the run function;
 * the runner calls it `warmup` times untimed, then `repeats` times, and calls `teardown`.
 */
export interface Benchmark {
  name: string;
  /** What is measured and how the ideal is defined; goes into BENCHMARKS.md. */
  description: string;
  /** Pass when median / ideal ≤ this (omit for benchmarks without an ideal). */
  maxRatio?: number;
  setup(): Promise<{ run: () => Promise<Sample>; teardown: () => Promise<void> }>;
}

export interface Result {
  name: string;
  description: string;
  samples: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  idealMs?: number;
  ratio?: number;
  maxRatio?: number;
  pass?: boolean;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  date: string;
}

export function machineInfo(now = new Date()): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() || 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    date: now.toISOString().slice(0, 10),
  };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs one benchmark: warm-up runs first (connections, caches), then the timed repeats. */
export async function runBenchmark(b: Benchmark, opts: { repeats: number; warmup: number; log?: (line: string) => void }): Promise<Result> {
  const { run, teardown } = await b.setup();
  try {
    for (let i = 0; i < opts.warmup; i++) await run();
    const samples: Sample[] = [];
    for (let i = 0; i < opts.repeats; i++) {
      const s = await run();
      samples.push(s);
      opts.log?.(`  ${b.name} #${i + 1}: ${s.ms.toFixed(1)} ms${s.idealMs !== undefined ? ` (ideal ${s.idealMs} ms)` : ''}`);
    }
    const ms = samples.map((s) => s.ms);
    const result: Result = { name: b.name, description: b.description, samples: ms, medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms) };
    const ideal = samples[0]?.idealMs;
    if (ideal !== undefined && ideal > 0) {
      result.idealMs = ideal;
      result.ratio = result.medianMs / ideal;
      if (b.maxRatio !== undefined) {
        result.maxRatio = b.maxRatio;
        result.pass = result.ratio <= b.maxRatio;
      }
    }
    return result;
  } finally {
    await teardown();
  }
}

/** What the runner gives every suite. */
export interface SuiteOptions {
  machine: MachineInfo;
  /** `--repeats` / `--warmup` when given; a suite uses its own defaults otherwise. */
  repeats?: number;
  warmup?: number;
  /** `--filter TEXT`: suites with named benchmarks run only those whose name contains it. */
  filter?: string;
  /** `--quick`: smaller sizes and fewer runs, for a smoke run (figures are then not the published ones). */
  quick: boolean;
  /** Options the runner does not know (`--concurrency 8,16`), for the suite that does. */
  extra: Readonly<Record<string, string | boolean | undefined>>;
  /** Progress lines (stdout). */
  log: (line: string) => void;
}

/**
 * A group of benchmarks that owns one section of BENCHMARKS.md, between
 * `<!-- bench:<key>:start -->` and `<!-- bench:<key>:end -->`.
 */
export interface BenchSuite {
  key: string;
  /** The section heading. */
  title: string;
  /** Left out of the default run (too long); run with `--only <key>`. */
  optIn?: boolean;
  /** Runs the suite and returns its section body (markdown, without heading or machine line). */
  run(opts: SuiteOptions): Promise<string>;
}

/** A value from `extra`, as a string when given. */
export function extraString(opts: SuiteOptions, name: string): string | undefined {
  const v = opts.extra[name];
  return typeof v === 'string' ? v : undefined;
}
