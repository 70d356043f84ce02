#!/usr/bin/env node
// The `delta-ops` command (`npx delta-ops --once /status` in this directory, or on PATH after `npm link`):
// runs the compiled entry point, which `npm ci` (the `prepare` script) or `npm run build` writes to dist/.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('delta-ops: dist/src/main.js is missing: run `npm run build` (npm ci does it)\n');
  process.exit(1);
}
await import(entry.href);
