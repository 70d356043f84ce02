import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { ListenAddress } from '../config/listen-address.js';
import { createApi, type ApiOptions } from './api.js';
import type { HttpHost } from './host.js';

export interface HttpServer {
  /** `http://127.0.0.1:3000` (the port the system chose when 0 was asked for). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A start-up problem with the HTTP server, one line (address in use, not allowed). */
export class HttpListenError extends Error {
  override name = 'HttpListenError';
}

/**
 * Serves the API on `listen` until `close`. Every replica runs one: a standby answers the probes,
 * /metrics and the system status (naming the leader), and 503 for data it does not hold.
 */
export async function startHttpServer(host: HttpHost, opts: ApiOptions & { listen: ListenAddress }): Promise<HttpServer> {
  const api = createApi(host, opts);
  // overrideGlobalObjects: false keeps Node's own Request/Response for the rest of the process
  // (discord.js and the multipart encoder use them).
  const server = createAdaptorServer({ fetch: api.fetch, overrideGlobalObjects: false }) as Server;
  // A client that trickles its headers or body in is cut off instead of holding a socket for ever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.listen(opts.listen.port, opts.listen.host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]: unknown[]) => Promise.reject(err))]);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new HttpListenError(`HTTP server cannot listen on ${opts.listen.host}:${opts.listen.port} (${code})${code === 'EADDRINUSE' ? ': is another delta-ops or another server using that port?' : ''}`);
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${opts.listen.host.includes(':') ? `[${opts.listen.host}]` : opts.listen.host}:${port}`;
  host.ops.httpListening(url);
  host.logger.info({ component: 'http', url, auth: opts.tokens.read ? 'bearer' : 'open (loopback only)', admin: opts.tokens.admin !== undefined }, 'HTTP API listening');
  return {
    url,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), 500);
      await closed;
      clearTimeout(timer);
    },
  };
}
