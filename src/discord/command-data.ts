import { createHash } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, CommandOption } from '../present/command.js';
import { LIMITS, truncate } from './limits.js';

export type CommandBody = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Discord's rule for chat-input command and option names. */
const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

function checkName(name: string, where: string): string {
  if (!NAME.test(name)) throw new Error(`${where}: "${name}" is not a valid Discord command/option name (1-32 lower-case letters, digits, - or _)`);
  return name;
}

function description(text: string): string {
  return truncate(text.trim() || '—', LIMITS.commandDescription);
}

function option(o: CommandOption, where: string): APIApplicationCommandBasicOption {
  const base = { name: checkName(o.name, where), description: description(o.description), required: o.required === true };
  const choices = o.choices?.slice(0, LIMITS.autocompleteChoices) ?? [];
  // Discord refuses autocomplete together with choices: fixed choices win.
  const autocomplete = o.autocomplete !== undefined && choices.length === 0;
  switch (o.type) {
    case 'string': {
      const s = { ...base, type: ApplicationCommandOptionType.String as const, ...(o.maxLength !== undefined ? { max_length: o.maxLength } : {}) };
      if (autocomplete) return { ...s, autocomplete: true };
      return choices.length ? { ...s, choices: choices.map((c) => ({ name: truncate(c.name, LIMITS.choiceName), value: String(c.value) })) } : s;
    }
    case 'number':
    case 'integer': {
      const range = { ...(o.min !== undefined ? { min_value: o.min } : {}), ...(o.max !== undefined ? { max_value: o.max } : {}) };
      const numChoices = choices.map((c) => ({ name: truncate(c.name, LIMITS.choiceName), value: Number(c.value) }));
      if (o.type === 'number') {
        const n = { ...base, ...range, type: ApplicationCommandOptionType.Number as const };
        if (autocomplete) return { ...n, autocomplete: true };
        return numChoices.length ? { ...n, choices: numChoices } : n;
      }
      const n = { ...base, ...range, type: ApplicationCommandOptionType.Integer as const };
      if (autocomplete) return { ...n, autocomplete: true };
      return numChoices.length ? { ...n, choices: numChoices } : n;
    }
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
  }
}

/** Discord wants required options first; the order among each kind is kept. */
function options(list: readonly CommandOption[] | undefined, where: string): APIApplicationCommandBasicOption[] {
  const mapped = (list ?? []).map((o) => option(o, where));
  return [...mapped.filter((o) => o.required), ...mapped.filter((o) => !o.required)];
}

/**
 * A neutral Command as Discord's registration body. Guild-only (`contexts: [Guild]`, no DMs).
 * Discord's `default_member_permissions` applies to a whole command, never to one subcommand, so
 * only a command that is admin-only as a whole gets one (Manage Server); mixed commands such as
 * `/alerts` (list for everyone, ack for admins) stay visible and the router's admin check decides.
 */
export function toCommandBody<C>(c: Command<C>): CommandBody {
  const where = `/${c.name}`;
  const body: CommandBody = {
    type: ApplicationCommandType.ChatInput,
    name: checkName(c.name, where),
    description: description(c.description),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    dm_permission: false,
    default_member_permissions: c.admin ? PermissionFlagsBits.ManageGuild.toString() : null,
    nsfw: false,
  };
  const opts: APIApplicationCommandOption[] = c.subcommands?.length
    ? c.subcommands.map((s) => ({
        type: ApplicationCommandOptionType.Subcommand,
        name: checkName(s.name, `${where} ${s.name}`),
        description: description(s.description),
        options: options(s.options, `${where} ${s.name}`),
      }))
    : options(c.options, where);
  if (opts.length) body.options = opts;
  return body;
}

export function toCommandBodies<C>(commands: readonly Command<C>[]): CommandBody[] {
  const bodies = commands.map((c) => toCommandBody(c));
  const names = new Set<string>();
  for (const b of bodies) {
    if (names.has(b.name)) throw new Error(`/${b.name} is defined twice`);
    names.add(b.name);
  }
  return bodies;
}

/** JSON with object keys sorted at every level: equal data → equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Where commands are registered: one guild (instant) or global. */
export type CommandScope = { appId: string; guildId?: string };

/** sha256 over the definitions and where they go, so moving from a guild to global re-registers too. */
export function commandsHash(bodies: readonly CommandBody[], scope: CommandScope): string {
  return createHash('sha256')
    .update(canonicalJson({ appId: scope.appId, guildId: scope.guildId ?? null, commands: bodies }))
    .digest('hex');
}
