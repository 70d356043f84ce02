import { requireData, resolveAccount, type CoreContext } from './context.js';
import { buildPositions } from '../src/core/queries/positions.js';
import { canonicalSymbol } from '../src/core/symbols.js';
import type { Command, CommandInput } from '../src/present/command.js';
import { positionsView } from '../src/present/positions-view.js';
import type { View } from '../src/present/view.js';

function str(input: CommandInput, name: string): string | undefined {
  const v = input.options[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export const positionsCommand = {
  name: 'positions',
  description: 'Every open position: size, entry, mark, notional, uPnL, liquidation, leverage, funding per 8 h',
  options: [
    { name: 'account', description: 'Only this account', type: 'string', autocomplete: 'account', maxLength: 64 },
    { name: 'symbol', description: 'Only this symbol, e.g. BTC', type: 'string', autocomplete: 'symbol', maxLength: 32 },
  ],
  handle(ctx, input): View {
    const { snapshot } = requireData(ctx);
    const rawAccount = str(input, 'account');
    const rawSymbol = str(input, 'symbol');
    const account = rawAccount ? resolveAccount(ctx.config, rawAccount) : undefined;
    const symbol = rawSymbol ? canonicalSymbol(rawSymbol).symbol : undefined;
    return positionsView(buildPositions(snapshot, { account, symbol }), { account, symbol });
  },
} satisfies Command<CoreContext>;
