import { notificationView } from '../present/alert-view.js';
import { renderText } from '../present/render-text.js';
import type { DeliveryResult, NotificationSink, OutboundNotification } from '../core/outbox/sink.js';

/**
 * Prints notifications as text (the local console): each one through the neutral View and the text
 * renderer the console also uses for command replies. A terminal cannot deduplicate, so a crash
 * between printing and marking sent may print a notification twice (at-least-once).
 */
export class TextSink implements NotificationSink {
  readonly supportsIdempotency = false;

  constructor(
    private readonly write: (text: string) => void,
    readonly name = 'console',
  ) {}

  async deliver(n: OutboundNotification): Promise<DeliveryResult> {
    const text = renderText(notificationView(n));
    try {
      this.write(n.editRef !== undefined ? `(update of ${n.editRef})\n${text}` : text);
    } catch (err) {
      return { kind: 'retry', reason: `write failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    return { kind: 'delivered', ref: n.editRef ?? `console#${n.outboxId}` };
  }
}
