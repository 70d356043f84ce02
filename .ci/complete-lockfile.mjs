#!/usr/bin/env node
// Adds lockfile entries for platform-specific optional dependencies that npm left out.
//
// Why: when the registry this machine reaches lacks a platform package at the exact version a dependency
// asks for (e.g. @rollup/rollup-darwin-arm64@4.68.7), `npm install` silently drops it from
// package-lock.json, and `npm ci` then refuses the lockfile ("Missing: … from lock file"). The entries
// added here carry the os/cpu/libc that the package name encodes, so `npm ci` on any other platform
// skips them without a download, exactly as it would with a complete lockfile.
//
// Usage: node .ci/complete-lockfile.mjs [package-lock.json]   (idempotent; prints what it added)
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages ?? {};

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'sunos', 'win32', 'aix', 'openharmony', 'netbsd', 'wasi'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'riscv64', 'ppc64', 'ppc64le', 's390x', 'loong64', 'mips64el', 'wasm32'];

/** `@scope/name-linux-arm64-musl` → { os: ['linux'], cpu: ['arm64'], libc: ['musl'] }, or undefined. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os) return undefined;
  const out = { os: [os] };
  if (cpu) out.cpu = [cpu];
  if (parts.includes('musl')) out.libc = ['musl'];
  else if (os === 'linux' && parts.some((p) => p.startsWith('gnu'))) out.libc = ['glibc'];
  return out;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    const candidates = [`${base}node_modules/${dep}`, `node_modules/${dep}`];
    if (candidates.some((c) => packages[c])) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) continue;
    packages[`node_modules/${dep}`] = { version: spec, optional: true, ...platform };
    added++;
    process.stdout.write(`added node_modules/${dep}@${spec} ${JSON.stringify(platform)}\n`);
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`${added} entr${added === 1 ? 'y' : 'ies'} added to ${file}\n`);
