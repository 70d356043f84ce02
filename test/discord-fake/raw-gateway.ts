import { once } from 'node:events';
import { createInflate } from 'node:zlib';
import type { Inflate } from 'node:zlib';
import { WebSocket } from 'ws';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import { Signal, waitUntil } from '../fakes/discord/wait.js';

export interface GatewayPayload {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

/** A hand-driven gateway client, to test the protocol without discord.js in between. */
export class RawGatewayClient {
  readonly received: GatewayPayload[] = [];
  closeCode: number | null = null;
  binaryFrames = 0;
  private readonly changed = new Signal();
  private readonly inflate: Inflate | null;

  private constructor(
    private readonly ws: WebSocket,
    zlib: boolean,
  ) {
    this.inflate = zlib ? createInflate() : null;
    let pending = '';
    this.inflate?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      // Each flushed message is one complete JSON document.
      try {
        this.push(JSON.parse(pending) as GatewayPayload);
        pending = '';
      } catch {
        /* wait for more */
      }
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) this.binaryFrames += 1;
      if (isBinary && this.inflate) this.inflate.write(data);
      else this.push(JSON.parse(data.toString('utf8')) as GatewayPayload);
    });
    ws.on('close', (code: number) => {
      this.closeCode = code;
      this.changed.notify();
    });
  }

  static async connect(url: string, query = 'v=10&encoding=json'): Promise<RawGatewayClient> {
    const ws = new WebSocket(`${url}?${query}`);
    const client = new RawGatewayClient(ws, query.includes('compress=zlib-stream'));
    await once(ws, 'open');
    return client;
  }

  private push(p: GatewayPayload): void {
    this.received.push(p);
    this.changed.notify();
  }

  send(op: number, d: unknown): void {
    this.ws.send(JSON.stringify({ op, d }));
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  identify(token = FAKE_BOT_TOKEN, intents = 1): void {
    this.send(2, { token, intents, properties: { os: 'linux', browser: 'raw', device: 'raw' } });
  }

  next(match: (p: GatewayPayload) => boolean, timeoutMs = 2_000): Promise<GatewayPayload> {
    return waitUntil(() => this.received.find(match), this.changed.subscribe, timeoutMs, () => `saw ${JSON.stringify(this.received.map((p) => p.t ?? p.op))}`);
  }

  dispatch(t: string, timeoutMs?: number): Promise<GatewayPayload> {
    return this.next((p) => p.op === 0 && p.t === t, timeoutMs);
  }

  closed(timeoutMs = 2_000): Promise<number> {
    return waitUntil(() => this.closeCode ?? undefined, this.changed.subscribe, timeoutMs, () => 'socket still open');
  }

  async close(code = 1000): Promise<void> {
    this.inflate?.destroy();
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = once(this.ws, 'close');
    this.ws.close(code);
    await closed;
  }

  terminate(): void {
    this.ws.terminate();
  }
}
