import type { ProcessProbe } from '../core/ops/performance.js';

/** The ops model's view of this Node process: resident memory, CPU time, a clock that never jumps. */
export const nodeProcessProbe: ProcessProbe = {
  rssBytes: () => process.memoryUsage.rss(),
  cpuMicros: () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  },
  monotonicMs: () => performance.now(),
};
