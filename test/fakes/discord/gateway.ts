import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { GatewayConnection } from './gateway-connection.js';
import type { UserJson } from './json-types.js';
import { Signal } from './wait.js';
import type { World } from './world.js';

export interface DispatchEvent {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

export interface GatewaySession {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  /** Dispatches kept for RESUME replay (the most recent ones). */
  log: DispatchEvent[];
  connection: GatewayConnection | null;
}

export interface GatewayStats {
  connections: number;
  identifies: number;
  resumes: number;
  heartbeats: number;
  /** Query strings of each connection (`v`, `encoding`, `compress`). */
  queries: Record<string, string>[];
}

interface Deps {
  world: World;
  bot: UserJson;
  appId: string;
  token: string | null;
  heartbeatIntervalMs: number;
  gatewayUrl: () => string;
}

const REPLAY_LOG_LIMIT = 500;

/**
 * Discord's gateway over `ws`: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with replay,
 * and dispatches the harness injects. Protocol details live in GatewayConnection.
 */
export class FakeGateway {
  readonly changed = new Signal();
  readonly sessions = new Map<string, GatewaySession>();
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0, queries: [] };
  ackHeartbeats = true;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<GatewayConnection>();

  constructor(readonly deps: Deps) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.stats.connections += 1;
      this.stats.queries.push(query);
      const conn = new GatewayConnection(ws, query, this);
      this.connections.add(conn);
      ws.on('message', (data: RawData, isBinary: boolean) => conn.onMessage(data, isBinary));
      ws.on('close', (code: number) => {
        this.connections.delete(conn);
        conn.onClose(code);
        this.changed.notify();
      });
      conn.hello();
    });
  }

  newSession(shard: [number, number], intents: number, connection: GatewayConnection): GatewaySession {
    const session: GatewaySession = { id: randomBytes(16).toString('hex'), shard, intents, seq: 0, log: [], connection };
    this.sessions.set(session.id, session);
    return session;
  }

  /** Sends (or queues for replay, if the session's socket is gone) one dispatch. */
  emit(session: GatewaySession, t: string, d: unknown): void {
    const event: DispatchEvent = { op: 0, t, s: ++session.seq, d };
    session.log.push(event);
    if (session.log.length > REPLAY_LOG_LIMIT) session.log.shift();
    session.connection?.send(event);
  }

  /** The session that receives events of a guild (or DMs, shard 0): the newest on the right shard. */
  sessionFor(guildId: string | null): GatewaySession | undefined {
    const sessions = [...this.sessions.values()].reverse();
    return sessions.find(({ shard: [id, count] }) => {
      const target = guildId === null ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
      return id === target;
    });
  }

  /** True when a session exists whose connection has received READY and all its guilds. */
  get ready(): boolean {
    return [...this.sessions.values()].some((s) => s.connection?.isReady === true);
  }

  dispatch(t: string, d: unknown, guildId: string | null): boolean {
    const session = this.sessionFor(guildId);
    if (!session) return false;
    this.emit(session, t, d);
    return true;
  }

  /** Op 7: ask every connected client to reconnect and resume. */
  requestReconnect(): void {
    for (const c of this.connections) c.sendOp(7, null);
  }

  /** Op 9: invalidate sessions; `resumable` is the `d` Discord sends. */
  invalidateSessions(resumable: boolean): void {
    for (const c of this.connections) c.sendOp(9, resumable);
    if (!resumable) this.sessions.clear();
  }

  /** Cuts every socket without a close frame (the client sees 1006); sessions stay resumable. */
  dropConnections(): void {
    for (const c of this.connections) c.terminate();
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.terminate();
    for (const client of this.wss.clients) if (client.readyState !== WebSocket.CLOSED) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
