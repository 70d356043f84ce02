import type { Logger } from '../ports/logger.js';
import type { OutboxRow, OutboxStore, SendFence } from '../ports/alerts.js';
import type { Clock } from '../clock.js';
import { DEFAULT_BACKOFF, retryDelay, type BackoffPolicy } from './backoff.js';
import { notificationPayloadSchema } from './payload.js';
import type { DeliveryResult, NotificationSink, OutboundNotification } from './sink.js';

export interface DispatcherDeps {
  outbox: OutboxStore;
  sinks: readonly NotificationSink[];
  clock: Clock;
  logger: Logger;
  /** [0, 1); inject for deterministic backoff in tests. */
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Rows looked at per pass. */
  batchSize?: number;
  /** Give up (dead) after this many failed attempts; by default a retryable failure retries for ever. */
  maxAttempts?: number;
  /**
   * The lease this process sends under (several replicas: the leader's holder and epoch). Every send is
   * claimed with it first; a claim the store refuses means another replica leads, and nothing is sent.
   * Undefined: not leading, send nothing. Default: a single process, which always sends.
   */
  fence?: () => SendFence | undefined;
  /** Told once when a claim was refused: this process no longer holds the lease. */
  onFenced?: () => void;
  /** Told how each dispatch ended: its counts, or the error that stopped it (the ops model). */
  onPass?: (result: DispatchResult | undefined, err?: unknown) => void;
}

/** The fence of a single process (SQLite): there is no lease to lose. */
export const SOLE_SENDER: SendFence = { holder: 'sole', epoch: 0 };

export interface DispatchResult {
  sent: number;
  retried: number;
  dead: number;
  /** Edits held until the message they edit has been sent. */
  waiting: number;
  /** Rows of a sink that asked us to back off. */
  paused: number;
  /** Edits superseded by a newer edit while this pass ran. */
  skipped: number;
  /** Rows found already in the channel (an earlier sender died mid-post): marked sent, not posted again. */
  found: number;
  /** Rows not sent because this process does not hold the lease. */
  fenced: number;
}

const EMPTY: DispatchResult = { sent: 0, retried: 0, dead: 0, waiting: 0, paused: 0, skipped: 0, found: 0, fenced: 0 };

function add(a: DispatchResult, b: DispatchResult): DispatchResult {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof DispatchResult)[]) out[k] += b[k];
  return out;
}

/**
 * Sends due outbox rows through their sinks and records the outcome. A row is marked sent only after
 * the sink accepted it; a crash in between leaves it pending, and the retry carries the same
 * idempotency key, so a sink that deduplicates (Discord nonce) posts it once. Past the sink's
 * deduplication window, a row whose earlier send was in flight is first looked for in the channel
 * (`findDelivered`). Every send is claimed under the sender's fence. Passes never overlap.
 */
export class Dispatcher {
  private readonly sinks: Map<string, NotificationSink>;
  private readonly pausedUntil = new Map<string, number>();
  private running: Promise<DispatchResult> | undefined;
  private again = false;
  private deadTotal = 0;
  /** The latest time a pass started at, to notice the wall clock going back. */
  private lastNow: number | undefined;

  constructor(private readonly deps: DispatcherDeps) {
    this.sinks = new Map(deps.sinks.map((s) => [s.name, s]));
  }

  /** At start: pending rows are tried now, not after the backoff a previous process chose. */
  resume(now = this.deps.clock.now()): Promise<number> {
    this.pausedUntil.clear();
    return this.deps.outbox.resetBackoff(now);
  }

  /** One or more passes over due rows; a call while a pass runs joins it and asks for one more pass. */
  dispatchDue(now = this.deps.clock.now()): Promise<DispatchResult> {
    const clockWentBack = this.lastNow !== undefined && now < this.lastNow ? this.lastNow - now : 0;
    this.lastNow = now;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop(now, clockWentBack)
      .then(
        (result) => {
          this.deps.onPass?.(result);
          return result;
        },
        (err: unknown) => {
          this.deps.onPass?.(undefined, err);
          throw err;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Fire-and-forget dispatch (after an action stored an edit); failures are logged. */
  kick(): void {
    this.dispatchDue().catch((err: unknown) => this.deps.logger.error({ job: 'outbox', err }, 'dispatch failed'));
  }

  /** Rows that went dead since this dispatcher started. */
  deadCount(): number {
    return this.deadTotal;
  }

  private async loop(now: number, clockWentBack: number): Promise<DispatchResult> {
    if (clockWentBack > 0) {
      // Backoffs were chosen on the later clock: they would hold every pending row for as long as the jump.
      const rows = await this.resume(now);
      this.deps.logger.warn({ job: 'outbox', backMs: clockWentBack, rows }, 'the clock went back; retrying pending notifications now');
    }
    let total = await this.pass(now);
    while (this.again) {
      this.again = false;
      total = add(total, await this.pass(this.deps.clock.now()));
    }
    return total;
  }

  private async pass(now: number): Promise<DispatchResult> {
    const r = { ...EMPTY };
    if (!this.fence()) return r;
    const rows = await this.deps.outbox.due(now, [...this.sinks.keys()], this.deps.batchSize ?? 100);
    for (const row of rows) {
      const outcome = await this.dispatchOne(row, now);
      r[outcome]++;
      // Not the leader any more: the rest of the pass would be refused too.
      if (outcome === 'fenced') break;
    }
    if (rows.length > 0) this.deps.logger.debug({ job: 'outbox', ...r }, 'dispatch pass');
    return r;
  }

  private async dispatchOne(row: OutboxRow, now: number): Promise<keyof DispatchResult> {
    const sink = this.sinks.get(row.sink);
    if (!sink) return 'paused';
    if ((this.pausedUntil.get(sink.name) ?? 0) > now) return 'paused';
    const payload = notificationPayloadSchema.safeParse(row.payload);
    if (!payload.success) return this.dead(row, `unreadable payload: ${payload.error.issues[0]?.message ?? 'invalid'}`);
    const n: OutboundNotification = { outboxId: row.id, kind: row.kind, payload: payload.data, createdAt: row.createdAt };
    if (row.targetId !== undefined) {
      const target = await this.deps.outbox.get(row.targetId);
      if (target?.status === 'pending') return 'waiting';
      // A target that went dead never reached anyone: the edit is posted as a new message instead.
      if (target?.status === 'sent' && target.sentRef !== undefined) n.editRef = target.sentRef;
    }
    const fence = this.fence();
    if (!fence) return 'fenced';
    // The claim also finds rows an action superseded while an earlier row was being sent.
    const claim = await this.deps.outbox.claim(row.id, fence, now);
    if (claim.kind === 'gone') return 'skipped';
    if (claim.kind === 'fenced') {
      this.deps.logger.warn({ job: 'outbox', id: row.id, holder: fence.holder, epoch: fence.epoch }, 'not sending: this instance no longer holds the leader lease');
      this.deps.onFenced?.();
      return 'fenced';
    }
    if (claim.wasInFlight && sink.findDelivered) {
      const ref = await sink.findDelivered(n, row.idempotencyKey).catch(() => undefined);
      if (ref !== undefined) {
        await this.deps.outbox.markSent(row.id, ref, this.deps.clock.now());
        this.deps.logger.info({ job: 'outbox', id: row.id, sink: sink.name, kind: row.kind, ref }, 'already in the channel (its sender died mid-post): not posted again');
        return 'found';
      }
    }
    let result: DeliveryResult;
    try {
      result = await sink.deliver(n, row.idempotencyKey);
    } catch (err) {
      result = { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
    }
    const at = this.deps.clock.now();
    if (result.kind === 'delivered') {
      await this.deps.outbox.markSent(row.id, result.ref ?? n.editRef, at);
      return 'sent';
    }
    if (result.kind === 'permanent') return this.dead(row, result.reason);
    const attempts = row.attempts + 1;
    if (this.deps.maxAttempts !== undefined && attempts >= this.deps.maxAttempts) return this.dead(row, `gave up after ${attempts} attempts: ${result.reason}`);
    const next = at + retryDelay(attempts, result.afterMs, this.deps.backoff ?? DEFAULT_BACKOFF, this.deps.random ?? Math.random);
    await this.deps.outbox.markRetry(row.id, attempts, next, result.reason);
    // The sink is unhealthy: its other rows wait too instead of each burning an attempt.
    this.pausedUntil.set(sink.name, next);
    this.deps.logger.warn({ job: 'outbox', id: row.id, sink: sink.name, kind: row.kind, attempts, retryInMs: next - at, reason: result.reason }, 'delivery failed, will retry');
    return 'retried';
  }

  private fence(): SendFence | undefined {
    return this.deps.fence ? this.deps.fence() : SOLE_SENDER;
  }

  private async dead(row: OutboxRow, reason: string): Promise<'dead'> {
    await this.deps.outbox.markDead(row.id, reason, this.deps.clock.now());
    this.deadTotal++;
    this.deps.logger.error({ job: 'outbox', id: row.id, sink: row.sink, kind: row.kind, reason }, 'notification dropped: permanent failure');
    return 'dead';
  }
}
