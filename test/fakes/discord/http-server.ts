import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../../../src/core/clock.js';
import { ApiError, Errors } from './api-error.js';
import type { CapturedFile } from './http-body.js';
import { InvalidBodyError, parseBody, readBody } from './http-body.js';
import type { FaultInjector } from './faults.js';
import type { Router } from './router.js';

/** One REST request as the fake received it, with what it answered. */
export interface RecordedRequest {
  seq: number;
  at: number;
  method: string;
  /** Path after `/api/v{n}`, e.g. `/channels/123/messages`; the full path when unversioned. */
  path: string;
  /** The `v{n}` in the URL (discord.js uses 10); null when absent. */
  version: number | null;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (or multipart `payload_json`); undefined when there was none. */
  body: unknown;
  files: CapturedFile[];
  rawBody: Buffer;
  /** Status the fake answered with; 0 until the response is written. */
  status: number;
  fault: 'rate-limit' | 'server-error' | 'lost-response' | null;
}

interface Deps {
  router: Router;
  faults: FaultInjector;
  clock: Clock;
  token: string | null;
  onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  serveAttachment: (path: string) => { bytes: Buffer; contentType: string } | undefined;
}

const API_PATH = /^\/api(?:\/v(\d+))?(\/.*)$/;

/** One loopback HTTP server for REST and the gateway upgrade, with recording and outage control. */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  readonly server: Server;
  refusedConnections = 0;
  private down = false;
  private readonly sockets = new Set<Socket>();
  private seq = 0;

  constructor(private readonly deps: Deps) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      if (this.down) {
        this.refusedConnections += 1;
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (this.down) socket.destroy();
      else deps.onUpgrade(req, socket, head);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = this.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('fake Discord server has no port');
    return addr.port;
  }

  /** While down, every connection is reset on accept and open ones are cut. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) for (const s of this.sockets) s.destroy();
  }

  get isDown(): boolean {
    return this.down;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    if (method === 'GET' && url.pathname.startsWith('/attachments/')) {
      const file = this.deps.serveAttachment(url.pathname);
      if (file) res.writeHead(200, { 'content-type': file.contentType }).end(file.bytes);
      else res.writeHead(404).end();
      return;
    }
    const m = API_PATH.exec(url.pathname);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    const record: RecordedRequest = {
      seq: ++this.seq,
      at: this.deps.clock.now(),
      method,
      path: m?.[2] ?? url.pathname,
      version: m?.[1] ? Number(m[1]) : null,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: undefined,
      files: [],
      rawBody: raw,
      status: 0,
      fault: null,
    };
    this.requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    try {
      const body = await parseBody(raw, headers['content-type'] ?? null);
      record.body = body.json;
      record.files = body.files;
      if (!m) throw Errors.notFound();
      record.fault = this.deps.faults.serve(method, record.path, res, this.deps.clock.now());
      if (record.fault) return;
      const match = this.deps.router.match(method, record.path);
      if (match === null) throw Errors.notFound();
      if (match === 'method-mismatch') throw new ApiError(405, 0, '405: Method Not Allowed');
      if (match.auth) this.checkAuth(headers.authorization);
      const out = await match.handler({ method, path: record.path, params: match.params, query: url.searchParams, headers, body });
      const lost = this.deps.faults.takeLostResponse(method, record.path);
      if (lost) {
        record.fault = 'lost-response';
        req.socket.destroy();
        lost.then?.();
        return;
      }
      if (out.raw) res.writeHead(out.status, { 'content-type': out.raw.contentType }).end(out.raw.bytes);
      else if (out.json === undefined) res.writeHead(out.status).end();
      else res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.json));
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : err instanceof InvalidBodyError ? Errors.invalidJson() : null;
      if (apiErr) {
        res.writeHead(apiErr.status, { 'content-type': 'application/json' }).end(JSON.stringify(apiErr.toJSON()));
        return;
      }
      // A bug in the fake itself: answer 500 and make it visible in the test output.
      console.error('[fake-discord] handler error', err);
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: '500: Internal Server Error', code: 0 }));
    }
  }

  private checkAuth(header: string | undefined): void {
    const expected = this.deps.token;
    const ok = header !== undefined && /^Bot \S+$/.test(header) && (expected === null || header === `Bot ${expected}`);
    if (!ok) throw Errors.unauthorized();
  }
}
