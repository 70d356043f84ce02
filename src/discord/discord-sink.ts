import { MessageFlags, Routes, type REST } from 'discord.js';
import type { Logger } from 'pino';
import type { AlertGroupPayload, NotificationPayload, SummaryPayload } from '../core/outbox/payload.js';
import type { DeliveryResult, NotificationSink, OutboundNotification } from '../core/outbox/sink.js';
import { notificationView } from '../present/alert-view.js';
import { LIMITS } from './limits.js';
import { renderView, type RenderedFile, type RenderedMessage } from './render-view.js';
import { deliveryFailure } from './rest-errors.js';
import { DISCORD_SINK_NAME } from './sink-name.js';

export const CHART_FILE_NAME = 'summary-24h.png';

export interface DiscordSinkDeps {
  rest: REST;
  alertChannelId?: string;
  /** Falls back to the alert channel. */
  summaryChannelId?: string;
  /**
   * Pinged (in the content) when a message of the default route carries an open CRITICAL alert. A routed
   * message pings exactly the roles its delivery names (the route's, an escalation step's), a silent one
   * nobody; nobody else is ever pinged.
   */
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

/** What one post or edit pings, and whether it notifies at all. */
interface Mention {
  content?: string;
  roles: string[];
  silent: boolean;
}

function body(m: RenderedMessage, mention: Mention, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    content: mention.content ?? '',
    embeds: m.embeds,
    components: m.components,
    // Exactly the roles named, whatever the content says: a user's text can never ping.
    allowed_mentions: { parse: m.allowedMentions.parse, roles: mention.roles },
    attachments: m.files.map((f, i) => ({ id: i, filename: f.name })),
    ...extra,
  };
}

function files(m: RenderedMessage): { name: string; data: Buffer; contentType: string }[] {
  return m.files.map((f) => ({ name: f.name, data: f.data, contentType: f.name.endsWith('.png') ? 'image/png' : 'text/plain; charset=utf-8' }));
}

/**
 * Delivers outbox notifications to Discord: alert groups (with their Acknowledge / Silence buttons) to
 * the channel their route chose (the alert channel by default) or, for an escalation DM, to the DM
 * channel opened with the user (POST /users/@me/channels); daily summaries with their chart to the
 * summary channel; and edits (ack, resolve, silence, escalation) onto the message posted before,
 * wherever it is. Posts carry the row's idempotency key as `nonce` with `enforce_nonce`, so a retry
 * after a lost answer returns the first message instead of a second one, and as a footer marker
 * (`deliveryMarker`) that `findDelivered` looks for. A `silent` delivery is posted with
 * SUPPRESS_NOTIFICATIONS and pings nobody.
 */
export class DiscordSink implements NotificationSink {
  readonly name: string;
  readonly supportsIdempotency = true;
  /** DM channel per user: Discord returns the same one every time, so it is asked once per process. */
  private readonly dmChannels = new Map<string, string>();

  constructor(private readonly deps: DiscordSinkDeps) {
    this.name = deps.name ?? DISCORD_SINK_NAME;
  }

  async deliver(n: OutboundNotification, idempotencyKey: string): Promise<DeliveryResult> {
    const p = n.payload;
    const log = this.deps.logger.child({ job: 'discord-sink', outboxId: n.outboxId, kind: n.kind });
    const view = notificationView(n);
    // The marker that finds this message again after Discord's nonce window (findDelivered).
    view.footer = [view.footer, deliveryMarker(idempotencyKey)].filter(Boolean).join(' · ');
    const message = renderView(view, { channelPost: true, ...(p.type === 'summary' ? await this.chart(p, log) : {}) });
    const mention = this.mention(p);
    try {
      if (n.editRef !== undefined) {
        const ref = parseRef(n.editRef);
        if (!ref) return { kind: 'permanent', reason: `not a Discord message ref: ${n.editRef.slice(0, 60)}` };
        await this.deps.rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body: body(message, mention, {}), files: files(message) });
        log.debug({ ref: n.editRef }, 'alert message edited');
        return { kind: 'delivered', ref: n.editRef };
      }
      const channelId = await this.channelOf(p);
      if (!channelId) return { kind: 'permanent', reason: `no Discord channel configured for ${p.type === 'alerts' ? 'alerts (ALERT_CHANNEL_ID)' : 'summaries (SUMMARY_CHANNEL_ID)'}` };
      const nonce = idempotencyKey.slice(0, LIMITS.nonce);
      const extra = { nonce, enforce_nonce: true, ...(mention.silent ? { flags: MessageFlags.SuppressNotifications } : {}) };
      const posted = (await this.deps.rest.post(Routes.channelMessages(channelId), { body: body(message, mention, extra), files: files(message) })) as { id?: unknown };
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
    const channelId = await this.channelOf(n.payload);
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

  /** Where a new post goes: the route's channel, the user's DM channel, or the default alert / summary channel. */
  private async channelOf(p: NotificationPayload): Promise<string | undefined> {
    if (p.type === 'summary') return this.deps.summaryChannelId ?? this.deps.alertChannelId;
    const userId = p.delivery?.dmUserId;
    if (userId === undefined) return p.delivery?.channelId ?? this.deps.alertChannelId;
    let channel = this.dmChannels.get(userId);
    if (channel === undefined) {
      const dm = (await this.deps.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id?: unknown };
      if (typeof dm.id !== 'string') throw new Error('Discord answered without a DM channel id');
      channel = dm.id;
      this.dmChannels.set(userId, channel);
    }
    return channel;
  }

  /** Who a message pings: a silent one or a DM nobody; a routed one exactly its roles; the default route the alert role on an open CRITICAL. */
  private mention(p: NotificationPayload): Mention {
    if (p.type !== 'alerts') return { roles: [], silent: false };
    const d: AlertGroupPayload['delivery'] = p.delivery;
    // A DM pings its reader by being a DM: no role mention there.
    if (d?.silent || d?.dmUserId !== undefined) return { roles: [], silent: d.silent === true };
    const open = p.alerts.filter((a) => a.state !== 'resolved');
    const roles = d?.mentionRoleIds ?? (this.deps.alertRoleId && open.some((a) => a.severity === 'CRITICAL') ? [this.deps.alertRoleId] : []);
    if (open.length === 0 || roles.length === 0) return { roles: [], silent: false };
    return { content: roles.map((r) => `<@&${r}>`).join(' '), roles, silent: false };
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
