import { requireData, type CoreContext } from '../src/app/context.js';
import type { Command } from '../src/present/command.js';
import { age, price } from '../src/present/format.js';
import type { View } from '../src/present/view.js';

export const feedsCommand = {
  name: 'feeds',
  description: 'Price feeds per symbol: source, mark, index and age',
  handle(ctx): View {
    const { snapshot } = requireData(ctx);
    const rows = Object.entries(snapshot.prices)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([symbol, p]) => [symbol, p.source, price(p.mark), price(p.index), age(ctx.now() - p.ts)]);
    return {
      title: 'Price feeds',
      lines: rows.length ? [] : ['No prices yet.'],
      tables: [{ columns: [{ header: 'Symbol' }, { header: 'Source' }, { header: 'Mark', align: 'right' }, { header: 'Index', align: 'right' }, { header: 'Updated' }], rows }],
    };
  },
} satisfies Command<CoreContext>;
