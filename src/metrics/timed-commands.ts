import type { OpsModel } from '../core/ops/ops-model.js';
import type { Command } from '../present/command.js';

/**
 * The same commands, each answer timed into the ops model (average response time, operations per
 * second, the per-command latency histogram). A failed answer counts too: the person waited for it.
 */
export function timedCommands<C>(commands: readonly Command<C>[], ops: Pick<OpsModel, 'recordOperation'>): Command<C>[] {
  return commands.map((command) => ({
    ...command,
    async handle(ctx, input) {
      const started = performance.now();
      try {
        return await command.handle(ctx, input);
      } finally {
        ops.recordOperation({ kind: 'command', name: command.name, seconds: (performance.now() - started) / 1000 });
      }
    },
  }));
}
