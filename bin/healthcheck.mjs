#!/usr/bin/env node
// Container health check: GET /healthz on the address the bot listens on (HTTP_LISTEN, `host:port`,
// `[v6]:port` or a port; an any-address host is checked on loopback). Exit 0 when it answers 2xx, else 1.
const listen = (process.env.HTTP_LISTEN || '127.0.0.1:3000').trim();
const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(listen) ?? /^()()(\d{1,5})$/.exec(listen);
if (!m) {
  process.stderr.write(`healthcheck: HTTP_LISTEN "${listen}" is not host:port\n`);
  process.exit(1);
}
const host = m[1] || m[2] || '127.0.0.1';
const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
const url = `http://${local.includes(':') ? `[${local}]` : local}:${m[3]}/healthz`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  process.exit(res.ok ? 0 : 1);
} catch (err) {
  process.stderr.write(`healthcheck: ${url}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
