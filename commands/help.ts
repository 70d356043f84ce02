import type { Command, CommandOption } from '../src/present/command.js';
import type { View, ViewField } from '../src/present/view.js';

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
    const fields: ViewField[] = [];
    for (const c of ctx.commandList) {
      const entries = c.subcommands?.length
        ? c.subcommands.map((s) => ({ name: `/${c.name} ${s.name}`, options: s.options, description: s.description, admin: s.admin || c.admin }))
        : [{ name: `/${c.name}`, options: c.options, description: c.description, admin: c.admin }];
      for (const e of entries) {
        const use = usage(e.options);
        fields.push({ name: e.name + (e.admin ? ' (admin)' : ''), value: use ? `${e.description}\n${e.name} ${use}` : e.description });
      }
    }
    return {
      title: 'delta-ops help',
      lines: [
        'Read-only monitoring of delta-neutral perp books. Plans are dry runs: delta-ops never places orders or moves funds.',
        'Sizes are in base units of the asset (long +, short −); deviation = |net − target| / hedge size.',
      ],
      fields,
      ephemeral: true,
    };
  },
} satisfies Command<HelpContext>;
