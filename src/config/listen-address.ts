import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * `host:port`, `[v6]:port` or a bare port (127.0.0.1). Returns a reason instead of throwing, so the
 * caller can name the field it came from.
 */
export function parseListen(text: string): ListenAddress | string {
  const t = text.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(t) ?? /^()()(\d{1,5})$/.exec(t);
  if (!m) return `"${t.slice(0, 60)}" is not host:port (e.g. 127.0.0.1:3000 or [::1]:3000)`;
  const host = m[1] || m[2] || '127.0.0.1';
  const port = Number(m[3]);
  if (!(port >= 0 && port <= 65535)) return `port ${m[3]} is out of range`;
  if (m[1] !== undefined && m[1] !== '' && isIP(m[1]) !== 6) return `${m[1]} is not an IPv6 address`;
  return { host, port };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return /^::ffff:127\./.test(h);
}
