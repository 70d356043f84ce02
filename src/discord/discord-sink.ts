import { Routes, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { NotificationPayload, SummaryPayload } from '../core/outbox/payload.js';
import type { DeliveryResult, NotificationSink, OutboundNotification } from '../core/outbox/sink.js';
import { notificationView } from '../present/alert-view.js';
import { LIMITS } from './limits.js';
import { renderView, type RenderedFile, type RenderedMessage } from './render-view.js';
import { deliveryFailure } from './rest-errors.js';

export const DISCORD_SINK_NAME = 'discord';
export const CHART_FILE_NAME = 'summary-24h.png';

export interface DiscordSinkDeps {
  rest: REST;
  alertChannelId?: string;
  /** Falls back to the alert channel. */
  summaryChannelId?: string;
  /** Pinged (in the content) when a message carries an open CRITICAL alert; nobody else ever is. */
  alertRoleId?: string;
  /** The PNG for a daily summary; when it fails the summary goes out without it (logged). */
  chart?: (p: SummaryPayload) => Promise<Buffer>;
  logger: Logger;
  name?: string;
}

/** Pages of 100 messages looked through by findDelivered, and how far before the row's creation. */
const FIND_PAGES = 3;
const FIND_SLACK_MS = 60_000;

/** What findDelivered reads of a message. */
interface PostedMessage {
  id: string;
  timestamp?: string;
  embeds?: readonly { footer?: { text?: string } }[];
}

/** The footer marker of a posted notification: its outbox row's idempotency key (also its nonce). */
export function deliveryMarker(idempotencyKey: string): string {
  return `ref ${idempotencyKey.slice(0, LIMITS.nonce)}`;
}

/** `channelId/messageId`: a message ref carries its channel, so edits still work after a channel change. */
function parseRef(ref: string): { channelId: string; messageId: string } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(ref);
  return m?.[1] && m[2] ? { channelId: m[1], messageId: m[2] } : undefined;
}

function body(m: RenderedMessage, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    content: m.content ?? '',
    embeds: m.embeds,
    components: m.components,
    allowed_mentions: { parse: m.allowedMentions.parse, roles: m.allowedMentions.roles },
    attachments: m.files.map((f, i) => ({ id: i, filename: f.name })),
    ...extra,
  };
}

function files(m: RenderedMessage): { name: string; data: Buffer; contentType: string }[] {
  return m.files.map((f) => ({ name: f.name, data: f.data, contentType: f.name.endsWith('.png') ? 'image/png' : 'text/plain; charset=utf-8' }));
}

/**
 * Delivers outbox notifications to Discord channels: alert groups (with their Acknowledge / Silence
 * buttons) to the alert channel, daily summaries with their chart to the summary channel, and edits
 * (ack, resolve, silence) onto the message posted before. Posts carry the row's idempotency key as
 * `nonce` with `enforce_nonce`, so a retry after a lost answer returns the first message instead of a
 * second one.
 */
export class DiscordSink implements NotificationSink {
  readonly name: string;
  readonly supportsIdempotency = true;

  constructor(private readonly deps: DiscordSinkDeps) {
    this.name = deps.name ?? DISCORD_SINK_NAME;
  }

  async deliver(n: OutboundNotification, idempotencyKey: string): Promise<DeliveryResult> {
    const p = n.payload;
    const channelId = p.type === 'alerts' ? this.deps.alertChannelId : (this.deps.summaryChannelId ?? this.deps.alertChannelId);
    const log = this.deps.logger.child({ job: 'discord-sink', outboxId: n.outboxId, kind: n.kind });
    if (!channelId) return { kind: 'permanent', reason: `no Discord channel configured for ${p.type === 'alerts' ? 'alerts (ALERT_CHANNEL_ID)' : 'summaries (SUMMARY_CHANNEL_ID)'}` };
    const view = notificationView(n);
    // The marker that finds this message again after Discord's nonce window (findDelivered).
    view.footer = [view.footer, deliveryMarker(idempotencyKey)].filter(Boolean).join(' · ');
    const message = renderView(view, {
      channelPost: true,
      ...this.mention(p),
      ...(p.type === 'summary' ? await this.chart(p, log) : {}),
    });
    try {
      if (n.editRef !== undefined) {
        const ref = parseRef(n.editRef);
        if (!ref) return { kind: 'permanent', reason: `not a Discord message ref: ${n.editRef.slice(0, 60)}` };
        await this.deps.rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body: body(message, {}), files: files(message) });
        log.debug({ ref: n.editRef }, 'alert message edited');
        return { kind: 'delivered', ref: n.editRef };
      }
      const nonce = idempotencyKey.slice(0, LIMITS.nonce);
      const posted = (await this.deps.rest.post(Routes.channelMessages(channelId), { body: body(message, { nonce, enforce_nonce: true }), files: files(message) })) as { id?: unknown };
      if (typeof posted.id !== 'string') return { kind: 'retry', reason: 'Discord answered without a message id' };
      const ref = `${channelId}/${posted.id}`;
      log.debug({ ref }, 'notification posted');
      return { kind: 'delivered', ref };
    } catch (err) {
      const failure = deliveryFailure(err);
      log.warn({ result: failure.kind, reason: failure.reason }, 'discord delivery failed');
      return failure;
    }
  }

  /**
   * The message posted for `idempotencyKey`, looked for by its marker among the channel's messages since
   * the row was created (newest first, up to 300): a sender that died mid-post may have posted it.
   */
  async findDelivered(n: OutboundNotification, idempotencyKey: string): Promise<string | undefined> {
    if (n.editRef !== undefined) return undefined;
    const p = n.payload;
    const channelId = p.type === 'alerts' ? this.deps.alertChannelId : (this.deps.summaryChannelId ?? this.deps.alertChannelId);
    if (!channelId) return undefined;
    const marker = deliveryMarker(idempotencyKey);
    let before: string | undefined;
    for (let page = 0; page < FIND_PAGES; page++) {
      const query = new URLSearchParams({ limit: '100', ...(before ? { before } : {}) });
      const messages = (await this.deps.rest.get(Routes.channelMessages(channelId), { query })) as readonly PostedMessage[];
      const found = messages.find((m) => m.embeds?.some((e) => e.footer?.text?.includes(marker)));
      if (found) return `${channelId}/${found.id}`;
      const oldest = messages.at(-1);
      if (!oldest || messages.length < 100 || Date.parse(oldest.timestamp ?? '') < n.createdAt - FIND_SLACK_MS) return undefined;
      before = oldest.id;
    }
    return undefined;
  }

  private mention(p: NotificationPayload): { content?: string; alertRoleId?: string } {
    const role = this.deps.alertRoleId;
    if (!role || p.type !== 'alerts') return {};
    const critical = p.alerts.some((a) => a.severity === 'CRITICAL' && a.state !== 'resolved');
    return critical ? { content: `<@&${role}>`, alertRoleId: role } : {};
  }

  private async chart(p: SummaryPayload, log: Logger): Promise<{ image?: RenderedFile }> {
    if (!this.deps.chart) return {};
    try {
      return { image: { name: CHART_FILE_NAME, data: await this.deps.chart(p) } };
    } catch (err) {
      log.error({ err }, 'summary chart failed; posting the summary without it');
      return {};
    }
  }
}
