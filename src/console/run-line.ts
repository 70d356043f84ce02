import type { Logger } from 'pino';
import type { Actor } from '../core/ports/actor.js';
import type { Command } from '../present/command.js';
import { errorView, executeCommand } from '../present/execute.js';
import type { View } from '../present/view.js';
import { parseLine } from './parse-line.js';

/** Parses and runs one console line; a parse problem becomes the same kind of error view. */
export async function runLine<C>(line: string, commands: readonly Command<C>[], ctx: C, actor: Actor, logger: Logger): Promise<View> {
  const parsed = parseLine(line, commands);
  if (!parsed.ok) return errorView(400, parsed.error);
  const input = parsed.subcommand === undefined ? { options: parsed.options, actor } : { subcommand: parsed.subcommand, options: parsed.options, actor };
  return executeCommand(parsed.command, ctx, input, logger);
}
