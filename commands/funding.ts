import type { CoreContext } from './context.js';
import { requireData } from './context.js';
import { canonicalSymbol } from '../src/core/symbols.js';
import { buildFunding } from '../src/core/queries/funding.js';
import type { Command } from '../src/present/command.js';
import { fundingView } from '../src/present/funding-view.js';
import type { View } from '../src/present/view.js';

export const fundingCommand = {
  name: 'funding',
  description: 'Funding per venue (per 8 h and APR), next funding time and the book\'s net carry',
  options: [{ name: 'symbol', description: 'Only this symbol, e.g. BTC', type: 'string', autocomplete: 'symbol', maxLength: 32 }],
  handle(ctx, input): View {
    const { snapshot } = requireData(ctx);
    const raw = input.options['symbol'];
    const symbol = typeof raw === 'string' && raw.trim() ? canonicalSymbol(raw).symbol : undefined;
    return fundingView(buildFunding(snapshot, symbol), symbol);
  },
} satisfies Command<CoreContext>;
