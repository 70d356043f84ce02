import { randomUUID } from 'node:crypto';
import { DeltaOpsError, ErrorCode } from '../src/core/errors.js';
import { requireData, resolveAccount, type CoreContext } from './context.js';
import { deltaPlanFromSnapshot } from '../src/core/queries/plans.js';
import { canonicalSymbol } from '../src/core/symbols.js';
import { SYMBOL_DEFAULTS } from '../src/core/thresholds/defaults.js';
import type { Command, CommandInput } from '../src/present/command.js';
import { deltaPlanView } from '../src/present/delta-plan-view.js';
import type { View } from '../src/present/view.js';

function num(input: CommandInput, name: string): number | undefined {
  const v = input.options[name];
  return typeof v === 'number' ? v : undefined;
}

export const deltaCommand = {
  name: 'delta',
  description: 'Dry-run delta hedge plans (never places orders)',
  subcommands: [
    {
      name: 'plan',
      description: 'Orders that would bring a symbol\'s net delta back to target (dry run)',
      options: [
        { name: 'symbol', description: 'Symbol, e.g. BTC', type: 'string', required: true, autocomplete: 'symbol', maxLength: 32 },
        { name: 'target', description: `Target net delta in base units (default from config, usually ${SYMBOL_DEFAULTS.target})`, type: 'number', min: -1e12, max: 1e12 },
        { name: 'tolerance', description: `No plan at or below this deviation (default ${SYMBOL_DEFAULTS.tolerance})`, type: 'number', min: 0, max: 1 },
        { name: 'max_deviation', description: `Above this the plan is blocked, error 1002 (default ${SYMBOL_DEFAULTS.maxDeviation})`, type: 'number', min: 0, max: 10 },
        { name: 'slippage', description: `Slippage estimate for prices (default ${SYMBOL_DEFAULTS.slippage})`, type: 'number', min: 0, max: 0.5 },
        { name: 'accounts', description: 'Comma-separated account ids (default: all that hold the symbol)', type: 'string', maxLength: 500 },
      ],
    },
  ],
  handle(ctx, input): View {
    const { snapshot } = requireData(ctx);
    const symbol = canonicalSymbol(String(input.options['symbol'] ?? '')).symbol;
    if (!symbol) throw new DeltaOpsError(ErrorCode.HedgePlanFailed, 'Give a symbol, e.g. symbol:BTC.');
    const accountsOpt = input.options['accounts'];
    const accounts = typeof accountsOpt === 'string' && accountsOpt.trim() ? accountsOpt.split(',').map((s) => resolveAccount(ctx.config, s)) : undefined;
    // What the person leaves out comes from the config, then the defaults; each account's position
    // limit is resolved by the query the same way the position-limit alert resolves it.
    const plan = deltaPlanFromSnapshot(snapshot, ctx.config, {
      operationId: randomUUID(),
      symbol,
      target: num(input, 'target'),
      tolerance: num(input, 'tolerance'),
      maxDeviation: num(input, 'max_deviation'),
      slippage: num(input, 'slippage'),
      accounts,
    }, ctx.now());
    return deltaPlanView(plan);
  },
} satisfies Command<CoreContext>;
