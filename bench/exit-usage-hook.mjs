// Preloaded by the start-up benchmark (`node --import ./bench/exit-usage-hook.mjs …`): when the process
// exits, appends its peak resident set size and the CPU time it used (getrusage) to the file USAGE_FILE
// names, one JSON line. Plain JavaScript, so the compiled run loads nothing of tsx.
import { appendFileSync } from 'node:fs';

const file = process.env.USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(file, `${JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })}\n`);
  });
}
