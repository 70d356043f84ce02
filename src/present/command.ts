import type { Actor } from '../core/ports/actor.js';
import type { View } from './view.js';

/**
 * A slash command, defined once and served by every transport (Discord, console).
 * Files under `commands/` export one `Command` each (`satisfies Command`), listed in `commands/index.ts`.
 */
export type OptionType = 'string' | 'number' | 'integer' | 'boolean';

export interface CommandOption {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  choices?: { name: string; value: string | number }[];
  /** Suggest values from the snapshot (no venue calls). */
  autocomplete?: 'account' | 'symbol' | 'alert' | 'feed';
  min?: number;
  max?: number;
  maxLength?: number;
}

export interface Subcommand {
  name: string;
  description: string;
  options?: CommandOption[];
  /** Needs an admin (ack, resolve, silence, unsilence, feed failover). */
  admin?: boolean;
}


export type OptionValue = string | number | boolean;

export interface CommandInput {
  subcommand?: string;
  options: Record<string, OptionValue | undefined>;
  actor: Actor;
}

export interface Command<Ctx> {
  name: string;
  description: string;
  options?: CommandOption[];
  subcommands?: Subcommand[];
  /** Whole command is admin-only (otherwise per subcommand). */
  admin?: boolean;
  /** The answer may take longer than ~1 s: the Discord router defers first. */
  slow?: boolean;
  handle(ctx: Ctx, input: CommandInput): Promise<View> | View;
}
