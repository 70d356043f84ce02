import { loadavg } from 'node:os';

/** The 1-minute load average, sampled every `everyMs` while a suite runs (the machine is shared). */
export interface LoadSampler {
  /** Takes a sample now (also done on the timer). */
  sample(): number;
  /** "3.2–5.8 (median 4.1, 14 samples every 5 s)"; stops the timer. */
  stop(): { min: number; max: number; median: number; samples: number; text: string };
}

export function startLoadSampler(everyMs = 5_000): LoadSampler {
  const samples: number[] = [];
  const sample = (): number => {
    const v = loadavg()[0] ?? NaN;
    samples.push(v);
    return v;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      const s = [...samples].sort((a, b) => a - b);
      const min = s[0]!;
      const max = s[s.length - 1]!;
      const median = s[Math.floor((s.length - 1) / 2)]!;
      return { min, max, median, samples: s.length, text: `${min.toFixed(1)}–${max.toFixed(1)} (median ${median.toFixed(1)}, ${s.length} samples every ${everyMs / 1000} s)` };
    },
  };
}
