import { constants as zlibConstants, createDeflate } from 'node:zlib';
import type { Deflate } from 'node:zlib';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { FakeGateway, GatewaySession } from './gateway.js';

const identifySchema = z.looseObject({
  token: z.string(),
  intents: z.number().int().nonnegative(),
  properties: z.looseObject({}),
  shard: z.tuple([z.number().int(), z.number().int()]).optional(),
  compress: z.boolean().optional(),
});
const resumeSchema = z.looseObject({ token: z.string(), session_id: z.string(), seq: z.number().int().nullable() });
const payloadSchema = z.looseObject({ op: z.number().int(), d: z.unknown() });

/** Discord's gateway close codes the fake uses. */
export const CloseCode = {
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidSeq: 4007,
  InvalidShard: 4010,
  InvalidIntents: 4013,
} as const;

/** One gateway WebSocket: framing (JSON, optionally zlib-stream) and the op-code protocol. */
export class GatewayConnection {
  session: GatewaySession | null = null;
  isReady = false;
  private readonly deflate: Deflate | null;
  private sendChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    readonly query: Record<string, string>,
    private readonly gw: FakeGateway,
  ) {
    // discord.js only asks for zlib-stream when the optional zlib-sync package is installed.
    this.deflate = query.compress === 'zlib-stream' ? createDeflate() : null;
  }

  hello(): void {
    this.sendOp(10, { heartbeat_interval: this.gw.deps.heartbeatIntervalMs, _trace: ['fake-discord-gateway'] });
  }

  sendOp(op: number, d: unknown): void {
    this.send({ op, d, s: null, t: null });
  }

  send(payload: object): void {
    const text = JSON.stringify(payload);
    const deflate = this.deflate;
    if (!deflate) {
      if (this.ws.readyState === this.ws.OPEN) this.ws.send(text);
      return;
    }
    // One shared deflate context per connection; each message ends with a Z_SYNC_FLUSH (00 00 FF FF).
    this.sendChain = this.sendChain.then(
      () =>
        new Promise<void>((resolve) => {
          const chunks: Buffer[] = [];
          const onData = (c: Buffer): void => void chunks.push(c);
          deflate.on('data', onData);
          deflate.write(text);
          deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => {
            deflate.off('data', onData);
            if (this.ws.readyState === this.ws.OPEN) this.ws.send(Buffer.concat(chunks));
            resolve();
          });
        }),
    );
  }

  terminate(): void {
    this.ws.terminate();
  }

  private close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.close(CloseCode.DecodeError, 'Error while decoding payload.');
    let parsed: z.infer<typeof payloadSchema>;
    try {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      parsed = payloadSchema.parse(JSON.parse(text));
    } catch {
      return this.close(CloseCode.DecodeError, 'Error while decoding payload.');
    }
    switch (parsed.op) {
      case 1:
        this.gw.stats.heartbeats += 1;
        if (this.gw.ackHeartbeats) this.sendOp(11, null);
        return;
      case 2:
        return this.identify(parsed.d);
      case 6:
        return this.resume(parsed.d);
      case 3:
      case 4:
      case 8:
        // Presence, voice state and member requests are accepted and ignored.
        if (!this.session) this.close(CloseCode.NotAuthenticated, 'Not authenticated.');
        return;
      default:
        return this.close(CloseCode.UnknownOpcode, 'Unknown opcode.');
    }
  }

  private tokenOk(token: string): boolean {
    const expected = this.gw.deps.token;
    return token.length > 0 && (expected === null || token === expected || token === `Bot ${expected}`);
  }

  private identify(d: unknown): void {
    if (this.session) return this.close(CloseCode.AlreadyAuthenticated, 'Already authenticated.');
    const parsed = identifySchema.safeParse(d);
    if (!parsed.success) return this.close(CloseCode.DecodeError, 'Error while decoding payload.');
    if (!this.tokenOk(parsed.data.token)) return this.close(CloseCode.AuthenticationFailed, 'Authentication failed.');
    if (parsed.data.intents >= 1 << 26) return this.close(CloseCode.InvalidIntents, 'Invalid intent(s).');
    const [shardId, shardCount] = parsed.data.shard ?? [0, 1];
    if (shardCount < 1 || shardId < 0 || shardId >= shardCount) return this.close(CloseCode.InvalidShard, 'Invalid shard.');
    this.gw.stats.identifies += 1;
    const { world, bot, appId } = this.gw.deps;
    const session = this.gw.newSession([shardId, shardCount], parsed.data.intents, this);
    this.session = session;
    const guildIds = [...world.guilds.keys()].filter((id) => Number((BigInt(id) >> 22n) % BigInt(shardCount)) === shardId);
    this.gw.emit(session, 'READY', {
      v: 10,
      user: { ...bot, verified: true, mfa_enabled: false, flags: 0, email: null },
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.gw.deps.gatewayUrl(),
      shard: [shardId, shardCount],
      application: { id: appId, flags: 0 },
      session_type: 'normal',
      user_settings: {},
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['fake-discord-gateway'],
    });
    for (const id of guildIds) this.gw.emit(session, 'GUILD_CREATE', world.guildCreate(id));
    this.isReady = true;
    this.gw.changed.notify();
  }

  private resume(d: unknown): void {
    if (this.session) return this.close(CloseCode.AlreadyAuthenticated, 'Already authenticated.');
    const parsed = resumeSchema.safeParse(d);
    if (!parsed.success) return this.close(CloseCode.DecodeError, 'Error while decoding payload.');
    if (!this.tokenOk(parsed.data.token)) return this.close(CloseCode.AuthenticationFailed, 'Authentication failed.');
    const session = this.gw.sessions.get(parsed.data.session_id);
    if (!session) return this.sendOp(9, false);
    const seq = parsed.data.seq ?? 0;
    if (seq > session.seq) return this.close(CloseCode.InvalidSeq, 'Invalid seq.');
    this.gw.stats.resumes += 1;
    session.connection?.terminate();
    session.connection = this;
    this.session = session;
    for (const event of session.log.filter((e) => e.s > seq)) this.send(event);
    this.gw.emit(session, 'RESUMED', { _trace: ['fake-discord-gateway'] });
    this.isReady = true;
    this.gw.changed.notify();
  }

  onClose(code: number): void {
    const session = this.session;
    this.isReady = false;
    if (!session || session.connection !== this) return;
    session.connection = null;
    // A client that closes with 1000/1001 ends its session; anything else may resume.
    if (code === 1000 || code === 1001) this.gw.sessions.delete(session.id);
  }
}
