import type { Clock } from '../../../src/core/clock.js';

/** A Discord user as tests describe it; the fake fills in the rest of Discord's user object. */
export interface FakeUserInput {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
}

export interface FakeRoleInput {
  id: string;
  name: string;
  /** Permission bit set as a decimal string, as Discord sends it. Defaults to none. */
  permissions?: string;
  position?: number;
}

export interface FakeChannelInput {
  id: string;
  name: string;
  /** Discord channel type; defaults to 0 (guild text). */
  type?: number;
  parentId?: string;
}

export interface FakeMemberInput {
  user: FakeUserInput;
  roles?: string[];
  nick?: string;
}

export interface FakeGuildInput {
  id: string;
  name: string;
  /** The @everyone role (id = guild id) is added when missing. */
  roles?: FakeRoleInput[];
  channels?: FakeChannelInput[];
  /** Members sent in GUILD_CREATE besides the bot itself. */
  members?: FakeMemberInput[];
  ownerId?: string;
}

export interface FakeDiscordOptions {
  guilds?: FakeGuildInput[];
  /** Application id; defaults to the bot user's id, as for every modern Discord application. */
  appId?: string;
  botUser?: FakeUserInput;
  /** When set, REST calls (Authorization: Bot <token>) and IDENTIFY must present this token. */
  token?: string;
  /** Time source for message timestamps, snowflakes, the nonce window and token lifetimes. */
  clock?: Clock;
  /** Sent in HELLO. Discord sends 41250. */
  heartbeatIntervalMs?: number;
  /** How long a nonce sent with enforce_nonce stays unique ("the past few minutes"). Default 5 min. */
  nonceWindowMs?: number;
  /**
   * If set, an interaction callback arriving later than this (by `clock`) gets Discord's
   * 10062 "Unknown interaction", as after the real 3 s limit. Off by default: real-time limits make
   * tests on a shared machine flaky; pair it with a FakeClock to test the defer path.
   */
  interactionDeadlineMs?: number | null;
}

/** Default bot: ids are real-looking 18-19 digit snowflakes. */
export const DEFAULT_BOT_USER: FakeUserInput = { id: '1100000000000000001', username: 'delta-ops', bot: true };

/** VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS */
export const DEFAULT_EVERYONE_PERMISSIONS = (
  (1n << 10n) |
  (1n << 11n) |
  (1n << 14n) |
  (1n << 15n) |
  (1n << 16n) |
  (1n << 31n)
).toString();

export const ADMINISTRATOR = 1n << 3n;
/** Every permission bit Discord currently defines (through bit 50), granted to administrators. */
export const ALL_PERMISSIONS = ((1n << 51n) - 1n).toString();
