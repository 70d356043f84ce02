/**
 * The subset of Discord's v10 JSON objects the fake emits, in Discord's own snake_case field names.
 * Deliberately independent of discord.js / discord-api-types so the fake does not inherit the
 * client's idea of the protocol it is meant to check.
 */

export interface UserJson {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
  public_flags: number;
}

export interface RoleJson {
  id: string;
  name: string;
  color: number;
  hoist: boolean;
  icon: null;
  unicode_emoji: null;
  position: number;
  permissions: string;
  managed: boolean;
  mentionable: boolean;
  flags: number;
}

export interface ChannelJson {
  id: string;
  type: number;
  guild_id?: string;
  name?: string;
  position?: number;
  parent_id?: string | null;
  topic?: string | null;
  nsfw?: boolean;
  last_message_id: string | null;
  rate_limit_per_user?: number;
  permission_overwrites?: unknown[];
  recipients?: UserJson[];
  flags: number;
}

export interface MemberJson {
  user: UserJson;
  nick: string | null;
  avatar: null;
  roles: string[];
  joined_at: string;
  premium_since: null;
  deaf: boolean;
  mute: boolean;
  flags: number;
  pending: boolean;
  communication_disabled_until: null;
  /** Only on interaction payloads: the member's total permissions in the channel. */
  permissions?: string;
}

export interface AttachmentJson {
  id: string;
  filename: string;
  description?: string;
  content_type?: string;
  size: number;
  url: string;
  proxy_url: string;
}

export interface MessageJson {
  id: string;
  type: number;
  channel_id: string;
  guild_id?: string;
  author: UserJson;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: UserJson[];
  mention_roles: string[];
  attachments: AttachmentJson[];
  embeds: unknown[];
  components: unknown[];
  pinned: boolean;
  flags: number;
  nonce?: string | number;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: {
    id: string;
    type: number;
    user: UserJson;
    authorizing_integration_owners: Record<string, string>;
    original_response_message_id?: string;
  };
}

export interface CommandOptionJson {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: CommandOptionJson[];
}

export interface InteractionJson {
  id: string;
  application_id: string;
  type: number;
  data: Record<string, unknown>;
  guild?: { id: string; locale: string; features: string[] };
  guild_id?: string;
  channel: ChannelJson;
  channel_id: string;
  member?: MemberJson;
  user?: UserJson;
  token: string;
  version: 1;
  message?: MessageJson;
  app_permissions: string;
  locale: string;
  guild_locale?: string;
  entitlements: unknown[];
  authorizing_integration_owners: Record<string, string>;
  context: number;
  attachment_size_limit: number;
}

/** Numeric constants of the v10 API used by the fake, named as in Discord's documentation. */
export const InteractionType = { Ping: 1, ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4, ModalSubmit: 5 } as const;
export const CallbackType = {
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredUpdateMessage: 6,
  UpdateMessage: 7,
  AutocompleteResult: 8,
  Modal: 9,
} as const;
export const MessageFlags = { Ephemeral: 64, Loading: 128, SuppressNotifications: 4096, IsComponentsV2: 32768 } as const;
export const ChannelType = { GuildText: 0, DM: 1, GuildCategory: 4, GuildAnnouncement: 5 } as const;
export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;
