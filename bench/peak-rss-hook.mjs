// Preloaded by the start-up benchmark (`node --import ./bench/peak-rss-hook.mjs …`): when the process
// exits, appends its peak resident set size (kB, from getrusage) to the file PEAK_RSS_FILE names. Plain
// JavaScript, so the compiled run loads nothing of tsx.
import { appendFileSync } from 'node:fs';

const file = process.env.PEAK_RSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
