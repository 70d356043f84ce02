import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { ErrorCode, isDeltaOpsError } from '../core/errors.js';
import type { Command, CommandInput } from './command.js';
import type { View } from './view.js';

/** Short id that appears in both the user's error reply and the log line, so support can find it. */
export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}

export function errorView(code: number, message: string, errorId?: string): View {
  return {
    title: `Error ${code}`,
    tone: 'critical',
    lines: [message, ...(errorId ? [`Error id: ${errorId}`] : [])],
    ephemeral: true,
  };
}

/** Whether this command (or the chosen subcommand) needs an admin. */
export function needsAdmin<C>(command: Command<C>, subcommand: string | undefined): boolean {
  if (command.admin) return true;
  return command.subcommands?.find((s) => s.name === subcommand)?.admin === true;
}

/**
 * Records a refused command (the audit log: who, when, from where, what). `reason` says why when the
 * transport refused before the command ran (`dm`, `guild`, `cooldown`); the hook decides what is an admin
 * action worth a row.
 */
export type RefusalHook = (command: string, input: CommandInput, reason?: string) => Promise<void> | void;

/**
 * Runs a command for any transport: the admin gate, then the handler; every failure becomes a user-safe
 * error view. A DeltaOpsError shows its own (safe) message; anything else shows only an error id, and
 * the full error goes to the log under that id.
 */
export async function executeCommand<C>(command: Command<C>, ctx: C, input: CommandInput, logger: Logger, onRefused?: RefusalHook): Promise<View> {
  const log = logger.child({ command: command.name, subcommand: input.subcommand, actor: input.actor.id, source: input.actor.source });
  if (needsAdmin(command, input.subcommand) && !input.actor.isAdmin) {
    const errorId = newErrorId();
    log.warn({ errorId, code: ErrorCode.PermissionDenied }, 'admin command refused');
    // Not awaited: the refusal is answered in time even when the store is slow or unreachable.
    Promise.resolve()
      .then(() => onRefused?.(command.name, input))
      .catch((err: unknown) => log.error({ err }, 'could not record the refusal in the audit log'));
    return errorView(ErrorCode.PermissionDenied, 'Permission denied: this action needs an admin role.', errorId);
  }
  try {
    return await command.handle(ctx, input);
  } catch (err) {
    const errorId = newErrorId();
    if (isDeltaOpsError(err)) {
      log.info({ errorId, code: err.code, err }, 'command answered with an error');
      return errorView(err.code, err.message, errorId);
    }
    log.error({ errorId, err }, 'command failed');
    return errorView(500, 'Something went wrong on our side; the team can find it in the log.', errorId);
  }
}
