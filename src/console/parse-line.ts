import type { Command, CommandInput, CommandOption, OptionValue } from '../present/command.js';

export type Parsed<C> = { ok: true; command: Command<C>; subcommand?: string; options: CommandInput['options'] } | { ok: false; error: string };

/** Splits on spaces, keeping `key:"quoted value"` and `"quoted words"` together. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const re = /([^\s"]+)?"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[3] !== undefined) tokens.push(m[3]);
    else tokens.push((m[1] ?? '') + (m[2] ?? '').replace(/\\(.)/g, '$1'));
  }
  return tokens;
}

type Converted = { value: OptionValue } | { error: string };

/** Checks a raw value against the option's type and bounds, as Discord does for slash options. */
export function convertOption(opt: CommandOption, raw: string): Converted {
  switch (opt.type) {
    case 'string':
      if (opt.maxLength !== undefined && raw.length > opt.maxLength) return { error: `option ${opt.name}: at most ${opt.maxLength} characters` };
      return { value: raw };
    case 'boolean':
      if (/^(true|yes|1)$/i.test(raw)) return { value: true };
      if (/^(false|no|0)$/i.test(raw)) return { value: false };
      return { error: `option ${opt.name}: expected true or false` };
    case 'number':
    case 'integer': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) return { error: `option ${opt.name}: expected a number, got "${raw.slice(0, 32)}"` };
      if (opt.type === 'integer' && !Number.isInteger(n)) return { error: `option ${opt.name}: expected a whole number` };
      if (opt.min !== undefined && n < opt.min) return { error: `option ${opt.name}: must be ≥ ${opt.min}` };
      if (opt.max !== undefined && n > opt.max) return { error: `option ${opt.name}: must be ≤ ${opt.max}` };
      return { value: n };
    }
  }
}

/**
 * Parses a console line such as `/delta plan symbol:BTC tolerance:0.02` against the same command
 * definitions Discord uses, with the same option types and bounds.
 */
export function parseLine<C>(line: string, commands: readonly Command<C>[]): Parsed<C> {
  const tokens = tokenize(line.trim());
  const head = tokens.shift()?.replace(/^\//, '').toLowerCase();
  if (!head) return { ok: false, error: 'empty command' };
  const command = commands.find((c) => c.name === head);
  if (!command) return { ok: false, error: `unknown command /${head.slice(0, 32)} — type /help` };
  let subcommand: string | undefined;
  let defs = command.options ?? [];
  if (command.subcommands?.length) {
    const name = tokens.shift()?.toLowerCase();
    const sub = command.subcommands.find((s) => s.name === name);
    if (!sub) return { ok: false, error: `/${command.name} needs one of: ${command.subcommands.map((s) => s.name).join(', ')}` };
    subcommand = sub.name;
    defs = sub.options ?? [];
  }
  const options: CommandInput['options'] = {};
  for (const tok of tokens) {
    const colon = tok.indexOf(':');
    const named = colon > 0 ? defs.find((d) => d.name === tok.slice(0, colon).toLowerCase()) : undefined;
    // Bare values fill the options in order: `/risk acc-1` means `/risk account:acc-1`.
    const opt = named ?? defs.find((d) => options[d.name] === undefined);
    const raw = named ? tok.slice(colon + 1) : tok;
    if (!opt) return { ok: false, error: `unexpected "${tok.slice(0, 32)}" — options: ${defs.map((d) => `${d.name}:`).join(' ') || 'none'}` };
    const v = convertOption(opt, raw);
    if ('error' in v) return { ok: false, error: v.error };
    options[opt.name] = v.value;
  }
  const missing = defs.find((d) => d.required && options[d.name] === undefined);
  if (missing) return { ok: false, error: `option ${missing.name} is required` };
  return subcommand === undefined ? { ok: true, command, options } : { ok: true, command, subcommand, options };
}
