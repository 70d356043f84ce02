import type { AlertNotice } from './payload.js';
import type { DeliveryResult, NotificationSink, OutboundNotification } from './sink.js';

export interface Recorded {
  ref: string;
  key: string;
  notification: OutboundNotification;
}

/**
 * A sink that records what it would have posted, for tests and dry runs. It deduplicates new posts by
 * idempotency key as Discord does with `nonce` + `enforce_nonce` (same key → the same message back).
 * Queue results with `failNext` or set a standing one with `setDefault`.
 */
export class RecordingSink implements NotificationSink {
  readonly supportsIdempotency = true;
  /** New messages accepted (each counted once). */
  readonly posts: Recorded[] = [];
  /** Edits of earlier messages. */
  readonly edits: Recorded[] = [];
  /** Every call, whatever its outcome. */
  attempts = 0;
  /** Posts answered from the idempotency cache instead of creating a message. */
  duplicates = 0;
  private readonly script: DeliveryResult[] = [];
  private fallback: DeliveryResult = { kind: 'delivered' };
  private readonly byKey = new Map<string, string>();

  constructor(readonly name = 'recording') {}

  failNext(...results: DeliveryResult[]): void {
    this.script.push(...results);
  }

  setDefault(result: DeliveryResult): void {
    this.fallback = result;
  }

  async deliver(n: OutboundNotification, key: string): Promise<DeliveryResult> {
    this.attempts++;
    const result = this.script.shift() ?? this.fallback;
    if (result.kind !== 'delivered') return result;
    if (n.editRef !== undefined) {
      this.edits.push({ ref: n.editRef, key, notification: n });
      return { kind: 'delivered', ref: n.editRef };
    }
    const known = this.byKey.get(key);
    if (known !== undefined) {
      this.duplicates++;
      return { kind: 'delivered', ref: known };
    }
    const ref = `m${this.posts.length + 1}`;
    this.byKey.set(key, ref);
    this.posts.push({ ref, key, notification: n });
    return { kind: 'delivered', ref };
  }

  /** Alert notices of every new post, in order. */
  postedAlerts(): AlertNotice[] {
    return this.posts.flatMap((p) => (p.notification.payload.type === 'alerts' ? p.notification.payload.alerts : []));
  }

  clear(): void {
    this.posts.length = 0;
    this.edits.length = 0;
    this.attempts = 0;
    this.duplicates = 0;
  }
}
