import type { CommandStore, RegisteredCommand } from './command-store.js';
import type { ChannelJson, CommandOptionJson, InteractionJson, MessageJson } from './json-types.js';
import { InteractionType, OptionType } from './json-types.js';
import type { FakeUserInput } from './options.js';
import { DEFAULT_EVERYONE_PERMISSIONS } from './options.js';
import type { SnowflakeFactory } from './snowflake.js';
import type { World } from './world.js';
import { memberJson, userJson } from './world.js';

export type OptionInput = string | number | boolean;

/** Who acts and where. Without `guildId` the first configured guild is used; `dm: true` means a DM. */
export interface ActorInput {
  user: FakeUserInput;
  /** Role ids the member has (guild only); defaults to the configured member's roles, else none. */
  roles?: string[];
  guildId?: string;
  /** Defaults to the guild's first text channel, or the DM channel. */
  channelId?: string;
  dm?: boolean;
  locale?: string;
}

export interface SlashCommandInput extends ActorInput {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: Record<string, OptionInput>;
}

export interface AutocompleteInput extends SlashCommandInput {
  /** The option the user is typing in; its partial value is `options[focused]` (default ''). */
  focused: string;
}

export interface ButtonClickInput {
  messageId: string;
  customId: string;
  user: FakeUserInput;
  roles?: string[];
  locale?: string;
}

interface Ctx {
  world: World;
  commands: CommandStore;
  ids: SnowflakeFactory;
  appId: string;
}

interface Where {
  guildId: string | null;
  channel: ChannelJson;
}

function resolveWhere(ctx: Ctx, input: ActorInput): Where {
  if (input.dm) {
    const channel = input.channelId ? ctx.world.channel(input.channelId) : ctx.world.dmChannel(input.user);
    if (!channel) throw new Error(`unknown DM channel ${input.channelId ?? ''}`);
    return { guildId: null, channel };
  }
  const guildId = input.guildId ?? [...ctx.world.guilds.keys()][0];
  if (!guildId || !ctx.world.guilds.has(guildId)) throw new Error(`unknown guild ${guildId ?? '(none configured)'}`);
  const channel = input.channelId ? ctx.world.channel(input.channelId) : ctx.world.firstTextChannel(guildId);
  if (!channel || channel.guild_id !== guildId) throw new Error(`channel ${input.channelId ?? '(default)'} is not in guild ${guildId}`);
  return { guildId, channel };
}

function basePayload(ctx: Ctx, type: number, input: Omit<ActorInput, 'guildId' | 'channelId' | 'dm'>, where: Where, data: Record<string, unknown>): InteractionJson {
  const locale = input.locale ?? 'en-US';
  const common = {
    id: ctx.ids.next(),
    application_id: ctx.appId,
    type,
    data,
    channel: where.channel,
    channel_id: where.channel.id,
    token: `fake-token-${ctx.ids.next()}`,
    version: 1 as const,
    locale,
    entitlements: [],
    attachment_size_limit: 10_485_760,
  };
  if (where.guildId === null) {
    return { ...common, user: userJson(input.user), app_permissions: DEFAULT_EVERYONE_PERMISSIONS, authorizing_integration_owners: { '0': '0' }, context: 1 };
  }
  const known = ctx.world.member(where.guildId, input.user.id);
  const roles = input.roles ?? known?.roles ?? [];
  const member = { ...(known ?? memberJson(input.user, roles, new Date(0).toISOString())), roles };
  return {
    ...common,
    guild: { id: where.guildId, locale: 'en-US', features: [] },
    guild_id: where.guildId,
    guild_locale: 'en-US',
    member: { ...member, permissions: ctx.world.permissions(where.guildId, roles, input.user.id) },
    app_permissions: ctx.world.permissions(where.guildId, [], ctx.world.bot.id),
    authorizing_integration_owners: { '0': where.guildId },
    context: 0,
  };
}

interface OptionDefLike {
  name: string;
  type: number;
  required?: boolean | undefined;
  choices?: { value: string | number }[] | undefined;
  options?: OptionDefLike[] | undefined;
}

function inferType(value: OptionInput): number {
  if (typeof value === 'boolean') return OptionType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? OptionType.Integer : OptionType.Number;
  return OptionType.String;
}

function valueFits(type: number, value: OptionInput): boolean {
  switch (type) {
    case OptionType.Integer:
      return typeof value === 'number' && Number.isInteger(value);
    case OptionType.Number:
      return typeof value === 'number';
    case OptionType.Boolean:
      return typeof value === 'boolean';
    default:
      // Strings and snowflake-valued types (user, channel, role, …) travel as strings.
      return typeof value === 'string';
  }
}

/** Builds `data.options` the way the Discord client would, checked against the registered definition. */
function buildOptions(cmd: RegisteredCommand | undefined, input: SlashCommandInput, focused: string | null): CommandOptionJson[] {
  let defs: OptionDefLike[] | undefined = cmd?.options;
  const path: string[] = [];
  const descend = (name: string | undefined, type: number): void => {
    if (!name) return;
    const def = defs?.find((d) => d.name === name && d.type === type);
    if (cmd && !def) throw new Error(`/${cmd.name} has no ${type === 1 ? 'subcommand' : 'subcommand group'} "${name}"`);
    defs = def?.options;
    path.push(name);
  };
  descend(input.subcommandGroup, OptionType.SubcommandGroup);
  descend(input.subcommand, OptionType.Subcommand);

  const values = { ...(input.options ?? {}) };
  if (focused !== null && values[focused] === undefined) values[focused] = '';
  const leaves: CommandOptionJson[] = Object.entries(values).map(([name, value]) => {
    const def = defs?.find((d) => d.name === name);
    if (cmd && !def) throw new Error(`/${[cmd.name, ...path].join(' ')} has no option "${name}"`);
    const type = def?.type ?? inferType(value);
    const isFocused = name === focused;
    if (!isFocused && def && !valueFits(def.type, value)) {
      throw new Error(`option "${name}" has type ${def.type}, got ${JSON.stringify(value)}`);
    }
    if (!isFocused && def?.choices && !def.choices.some((c) => c.value === value)) {
      throw new Error(`option "${name}" must be one of its choices, got ${JSON.stringify(value)}`);
    }
    // Autocomplete sends what the user has typed so far, always as text.
    return { name, type, value: isFocused ? String(value) : value, ...(isFocused ? { focused: true } : {}) };
  });
  if (cmd && focused === null) {
    const missing = (defs ?? []).filter((d) => d.required && values[d.name] === undefined).map((d) => d.name);
    if (missing.length > 0) throw new Error(`required option(s) missing: ${missing.join(', ')}`);
  }
  let options = leaves;
  if (input.subcommand) options = [{ name: input.subcommand, type: OptionType.Subcommand, options }];
  if (input.subcommandGroup) options = [{ name: input.subcommandGroup, type: OptionType.SubcommandGroup, options }];
  return options;
}

function commandData(ctx: Ctx, input: SlashCommandInput, where: Where, focused: string | null): Record<string, unknown> {
  const cmd = ctx.commands.find(input.name, where.guildId);
  const options = buildOptions(cmd, input, focused);
  return {
    id: cmd?.id ?? ctx.ids.next(),
    name: input.name,
    type: 1,
    ...(cmd?.guild_id ? { guild_id: cmd.guild_id } : {}),
    ...(options.length > 0 ? { options } : {}),
  };
}

export function slashCommandPayload(ctx: Ctx, input: SlashCommandInput): InteractionJson {
  const where = resolveWhere(ctx, input);
  return basePayload(ctx, InteractionType.ApplicationCommand, input, where, commandData(ctx, input, where, null));
}

export function autocompletePayload(ctx: Ctx, input: AutocompleteInput): InteractionJson {
  const where = resolveWhere(ctx, input);
  return basePayload(ctx, InteractionType.Autocomplete, input, where, commandData(ctx, input, where, input.focused));
}

/** A click on a button of a message the fake holds; throws if the button does not exist or is disabled. */
export function buttonClickPayload(ctx: Ctx, input: ButtonClickInput, message: MessageJson): InteractionJson {
  const button = findComponent(message.components, input.customId);
  if (!button) throw new Error(`message ${message.id} has no component with custom_id "${input.customId}"`);
  if (button.disabled === true) throw new Error(`button "${input.customId}" is disabled`);
  const channel = ctx.world.channel(message.channel_id);
  if (!channel) throw new Error(`message ${message.id} is in unknown channel ${message.channel_id}`);
  const where: Where = { guildId: channel.guild_id ?? null, channel };
  const payload = basePayload(ctx, InteractionType.MessageComponent, input, where, { custom_id: input.customId, component_type: button.type });
  return { ...payload, message };
}

function findComponent(nodes: unknown[], customId: string): Record<string, unknown> | undefined {
  for (const node of nodes) {
    if (typeof node !== 'object' || node === null) continue;
    const c = node as Record<string, unknown>;
    if (c.custom_id === customId) return c;
    const nested = [...(Array.isArray(c.components) ? c.components : []), ...(c.accessory ? [c.accessory] : [])];
    const found = findComponent(nested, customId);
    if (found) return found;
  }
  return undefined;
}
