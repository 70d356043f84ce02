import type { ChannelJson, MemberJson, RoleJson, UserJson } from './json-types.js';
import { ChannelType } from './json-types.js';
import type { FakeGuildInput, FakeRoleInput, FakeUserInput } from './options.js';
import { ADMINISTRATOR, ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS } from './options.js';
import type { SnowflakeFactory } from './snowflake.js';

/** Owner of configured guilds unless given: nobody a test plays, so no one is owner by accident. */
const SYNTHETIC_OWNER_ID = '1000000000000000099';

export interface WorldGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: RoleJson[];
  channels: ChannelJson[];
  members: MemberJson[];
  joinedAt: string;
}

export function userJson(input: FakeUserInput): UserJson {
  return {
    id: input.id,
    username: input.username,
    discriminator: '0',
    global_name: input.bot ? null : (input.globalName ?? input.username),
    avatar: null,
    ...(input.bot ? { bot: true } : {}),
    public_flags: 0,
  };
}

export function memberJson(user: FakeUserInput, roles: string[], joinedAt: string, nick?: string): MemberJson {
  return {
    user: userJson(user),
    nick: nick ?? null,
    avatar: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/** The guilds, channels and users the fake knows: what GUILD_CREATE and GET /channels serve. */
export class World {
  readonly guilds = new Map<string, WorldGuild>();
  private readonly dmChannels = new Map<string, ChannelJson>();

  constructor(
    readonly bot: UserJson,
    guilds: FakeGuildInput[],
    private readonly ids: SnowflakeFactory,
    createdAt: string,
  ) {
    for (const g of guilds) this.guilds.set(g.id, this.buildGuild(g, createdAt));
  }

  private buildGuild(g: FakeGuildInput, joinedAt: string): WorldGuild {
    const roleInputs = g.roles ?? [];
    const hasEveryone = roleInputs.some((r) => r.id === g.id);
    const everyone: FakeRoleInput[] = hasEveryone ? [] : [{ id: g.id, name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS, position: 0 }];
    const roles = [...everyone, ...roleInputs].map(
      (r, i): RoleJson => ({
        id: r.id,
        name: r.name,
        color: 0,
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: r.position ?? i,
        permissions: r.permissions ?? '0',
        managed: false,
        mentionable: false,
        flags: 0,
      }),
    );
    const channels = (g.channels ?? []).map(
      (c, i): ChannelJson => ({
        id: c.id,
        type: c.type ?? ChannelType.GuildText,
        guild_id: g.id,
        name: c.name,
        position: i,
        parent_id: c.parentId ?? null,
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        permission_overwrites: [],
        flags: 0,
      }),
    );
    const botMember = memberJson({ id: this.bot.id, username: this.bot.username, bot: true }, [], joinedAt);
    const members = [botMember, ...(g.members ?? []).map((m) => memberJson(m.user, m.roles ?? [], joinedAt, m.nick))];
    return { id: g.id, name: g.name, ownerId: g.ownerId ?? SYNTHETIC_OWNER_ID, roles, channels, members, joinedAt };
  }

  channel(id: string): ChannelJson | undefined {
    for (const g of this.guilds.values()) {
      const c = g.channels.find((ch) => ch.id === id);
      if (c) return c;
    }
    return [...this.dmChannels.values()].find((c) => c.id === id);
  }

  /** The bot's DM channel with a user, created on first use as Discord does. */
  dmChannel(user: FakeUserInput): ChannelJson {
    let ch = this.dmChannels.get(user.id);
    if (!ch) {
      ch = { id: this.ids.next(), type: ChannelType.DM, last_message_id: null, recipients: [userJson(user)], flags: 0 };
      this.dmChannels.set(user.id, ch);
    }
    return ch;
  }

  firstTextChannel(guildId: string): ChannelJson | undefined {
    return this.guilds.get(guildId)?.channels.find((c) => c.type === ChannelType.GuildText);
  }

  member(guildId: string, userId: string): MemberJson | undefined {
    return this.guilds.get(guildId)?.members.find((m) => m.user.id === userId);
  }

  /** Base permissions from @everyone plus the member's roles (channel overwrites are not modelled). */
  permissions(guildId: string, roleIds: string[], userId?: string): string {
    const guild = this.guilds.get(guildId);
    if (!guild) return '0';
    if (userId === guild.ownerId) return ALL_PERMISSIONS;
    let bits = 0n;
    for (const role of guild.roles) {
      if (role.id === guildId || roleIds.includes(role.id)) bits |= BigInt(role.permissions);
    }
    return (bits & ADMINISTRATOR) !== 0n ? ALL_PERMISSIONS : bits.toString();
  }

  /** The GUILD_CREATE payload (also the body of GET /guilds/{id}, minus the gateway-only fields). */
  guildCreate(guildId: string): Record<string, unknown> | undefined {
    const g = this.guilds.get(guildId);
    if (!g) return undefined;
    return {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: g.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      roles: g.roles,
      emojis: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      stickers: [],
      premium_progress_bar_enabled: false,
      joined_at: g.joinedAt,
      large: false,
      unavailable: false,
      member_count: g.members.length,
      voice_states: [],
      members: g.members,
      channels: g.channels,
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }
}
