import { z } from 'zod';
import type { FieldError } from './api-error.js';
import { invalidFormBody } from './api-error.js';
import type { SnowflakeFactory } from './snowflake.js';

interface OptionDef {
  type: number;
  name: string;
  description: string;
  required?: boolean | undefined;
  autocomplete?: boolean | undefined;
  choices?: { name: string; value: string | number }[] | undefined;
  options?: OptionDef[] | undefined;
  [key: string]: unknown;
}

const optionSchema: z.ZodType<OptionDef> = z.lazy(() =>
  z.looseObject({
    type: z.number().int(),
    name: z.string(),
    description: z.string(),
    required: z.boolean().optional(),
    autocomplete: z.boolean().optional(),
    choices: z.array(z.looseObject({ name: z.string(), value: z.union([z.string(), z.number()]) })).optional(),
    options: z.array(optionSchema).optional(),
  }),
);

const commandSchema = z.looseObject({
  name: z.string(),
  type: z.number().int().optional(),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
});

export type CommandDefinition = z.infer<typeof commandSchema>;

/** A command as Discord stores and returns it. */
export type RegisteredCommand = CommandDefinition & {
  id: string;
  application_id: string;
  version: string;
  type: number;
  description: string;
  guild_id?: string;
  default_member_permissions: string | null;
  nsfw: boolean;
};

function schemaFailure(error: z.ZodError): Error {
  return invalidFormBody(error.issues.map((i) => ({ path: i.path.map(String), code: 'BASE_TYPE_BAD_TYPE', message: i.message })));
}

// Discord's documented pattern for command and option names.
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function nameFailures(path: (string | number)[], name: string, chatInput: boolean): FieldError[] {
  if (!NAME.test(name)) return [{ path: [...path, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }];
  if (chatInput && name !== name.toLowerCase()) return [{ path: [...path, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' }];
  return [];
}

function optionFailures(path: (string | number)[], options: OptionDef[]): FieldError[] {
  const out: FieldError[] = [];
  if (options.length > 25) out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  let seenOptional = false;
  const names = new Set<string>();
  options.forEach((o, i) => {
    const here = [...path, i];
    out.push(...nameFailures(here, o.name, true));
    if (o.description.length < 1 || o.description.length > 100) out.push({ path: [...here, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    if (names.has(o.name)) {
      out.push({ path: [...here, 'name'], code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
    }
    names.add(o.name);
    if (o.autocomplete === true && (o.choices ?? []).length > 0) {
      out.push({ path: [...here, 'autocomplete'], code: 'APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE', message: 'Autocomplete cannot be set when choices are present' });
    }
    if ((o.choices ?? []).length > 25) out.push({ path: [...here, 'choices'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    if (o.required && seenOptional) {
      const message = 'Required options must be placed before non-required options';
      out.push({ path: [...here, 'required'], code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message });
    }
    if (!o.required && o.type > 2) seenOptional = true;
    if (o.options) out.push(...optionFailures([...here, 'options'], o.options));
  });
  return out;
}

/** Application commands registered through PUT/POST, globally and per guild. */
export class CommandStore {
  private readonly scopes = new Map<string, RegisteredCommand[]>();
  private readonly knownIds = new Map<string, string>();

  constructor(private readonly ids: SnowflakeFactory) {}

  list(guildId: string | null): RegisteredCommand[] {
    return this.scopes.get(guildId ?? 'global') ?? [];
  }

  /** The command an interaction would carry: a guild command shadows a global one of that name. */
  find(name: string, guildId: string | null): RegisteredCommand | undefined {
    return (guildId ? this.list(guildId).find((c) => c.name === name) : undefined) ?? this.list(null).find((c) => c.name === name);
  }

  bulkOverwrite(appId: string, guildId: string | null, body: unknown): RegisteredCommand[] {
    const parsed = z.array(commandSchema).safeParse(body);
    if (!parsed.success) throw schemaFailure(parsed.error);
    const defs = parsed.data;
    const failures: FieldError[] = defs.length > 100 ? [{ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' }] : [];
    defs.forEach((d, i) => failures.push(...this.definitionFailures([i], d)));
    const keys = defs.map((d) => `${d.type ?? 1}:${d.name}`);
    keys.forEach((k, i) => {
      if (keys.indexOf(k) !== i) failures.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' });
    });
    if (failures.length > 0) throw invalidFormBody(failures);
    const registered = defs.map((d) => this.register(appId, guildId, d));
    this.scopes.set(guildId ?? 'global', registered);
    return registered;
  }

  create(appId: string, guildId: string | null, body: unknown): RegisteredCommand {
    const parsed = commandSchema.safeParse(body);
    if (!parsed.success) throw schemaFailure(parsed.error);
    const failures = this.definitionFailures([], parsed.data);
    if (failures.length > 0) throw invalidFormBody(failures);
    const cmd = this.register(appId, guildId, parsed.data);
    const rest = this.list(guildId).filter((c) => !(c.name === cmd.name && c.type === cmd.type));
    this.scopes.set(guildId ?? 'global', [...rest, cmd]);
    return cmd;
  }

  private definitionFailures(path: (string | number)[], d: CommandDefinition): FieldError[] {
    const chatInput = (d.type ?? 1) === 1;
    const out = nameFailures(path, d.name, chatInput);
    const desc = d.description ?? '';
    if (chatInput && (desc.length < 1 || desc.length > 100)) out.push({ path: [...path, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    out.push(...optionFailures([...path, 'options'], d.options ?? []));
    return out;
  }

  /** Discord keeps a command's id across overwrites as long as its name and type stay the same. */
  private register(appId: string, guildId: string | null, d: CommandDefinition): RegisteredCommand {
    const type = d.type ?? 1;
    const key = `${guildId ?? 'global'}:${type}:${d.name}`;
    const id = this.knownIds.get(key) ?? this.ids.next();
    this.knownIds.set(key, id);
    return {
      default_member_permissions: null,
      nsfw: false,
      ...d,
      id,
      application_id: appId,
      version: this.ids.next(),
      type,
      description: d.description ?? '',
      ...(guildId ? { guild_id: guildId } : {}),
    };
  }
}
