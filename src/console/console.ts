import { createInterface, type Interface } from 'node:readline';
import type { Logger } from 'pino';
import type { Actor } from '../core/ports/actor.js';
import type { Command } from '../present/command.js';
import { renderText } from '../present/render-text.js';
import { runLine } from './run-line.js';

export interface ConsoleDeps<C> {
  commands: readonly Command<C>[];
  ctx: C;
  actor: Actor;
  logger: Logger;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Called when the person types `exit` / `quit` or closes the input. */
  onClose: () => void;
}

export interface LocalConsole {
  /** Prints text (an alert, a summary) without breaking the line being typed. */
  print(text: string): void;
  close(): void;
}

const PROMPT = 'delta-ops> ';

/** The interactive local console: the same commands as Discord, answered as text tables. */
export function startConsole<C>(deps: ConsoleDeps<C>): LocalConsole {
  const interactive = 'isTTY' in deps.input && deps.input.isTTY === true;
  const rl: Interface = createInterface({ input: deps.input, output: deps.output, prompt: PROMPT, terminal: interactive });
  let closed = false;
  let queue = Promise.resolve();
  const write = (text: string): void => {
    deps.output.write(`${text}\n`);
  };

  rl.on('line', (raw) => {
    const line = raw.trim();
    // Lines run one at a time, in order, even when pasted together.
    queue = queue.then(async () => {
      if (line === '') return;
      if (line === 'exit' || line === 'quit') {
        rl.close();
        return;
      }
      const view = await runLine(line, deps.commands, deps.ctx, deps.actor, deps.logger);
      write(renderText(view));
      write('');
    }).finally(() => {
      if (!closed) rl.prompt();
    });
  });
  rl.on('close', () => {
    if (closed) return;
    closed = true;
    void queue.finally(() => deps.onClose());
  });

  write('delta-ops console — type /help for commands, exit to quit.');
  rl.prompt();
  return {
    print(text) {
      if (closed) {
        write(text);
        return;
      }
      if (interactive) deps.output.write('\r\x1b[K');
      write(text);
      rl.prompt(true);
    },
    close() {
      if (!closed) rl.close();
    },
  };
}
