import type { Command, CommandOption } from '../src/present/command.js';
import type { View } from '../src/present/view.js';

/** What /help lists: the public shape of every registered command. */
export interface HelpContext {
  commandList: readonly Pick<Command<unknown>, 'name' | 'description' | 'options' | 'subcommands' | 'admin'>[];
}

function usage(options: readonly CommandOption[] | undefined): string {
  return (options ?? []).map((o) => (o.required ? `${o.name}:<${o.type}>` : `[${o.name}:<${o.type}>]`)).join(' ');
}

export const helpCommand = {
  name: 'help',
  description: 'What each command does and its options',
  handle(ctx): View {
    const rows: string[][] = [];
    for (const c of ctx.commandList) {
      if (c.subcommands?.length) {
        for (const s of c.subcommands) rows.push([`/${c.name} ${s.name} ${usage(s.options)}`.trim(), s.description + (s.admin || c.admin ? ' (admin)' : '')]);
      } else {
        rows.push([`/${c.name} ${usage(c.options)}`.trim(), c.description + (c.admin ? ' (admin)' : '')]);
      }
    }
    return {
      title: 'delta-ops help',
      lines: [
        'Read-only monitoring of delta-neutral perp books. Plans are dry runs: delta-ops never places orders or moves funds.',
        'Sizes are in base units of the asset (long +, short −); deviation = |net − target| / hedge size.',
      ],
      tables: [{ columns: [{ header: 'Command' }, { header: 'What it does' }], rows }],
      ephemeral: true,
    };
  },
} satisfies Command<HelpContext>;
