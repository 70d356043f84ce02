import { requireData, resolveAccount, type CoreContext } from './context.js';
import type { Command } from '../src/present/command.js';
import { accountRiskView, portfolioRiskView } from '../src/present/risk-view.js';
import type { View } from '../src/present/view.js';

export const riskCommand = {
  name: 'risk',
  description: 'Risk metrics for the portfolio, or for one account',
  options: [{ name: 'account', description: 'Account id (default: portfolio)', type: 'string', autocomplete: 'account', maxLength: 64 }],
  handle(ctx, input): View {
    const { risk } = requireData(ctx);
    const raw = input.options['account'];
    if (typeof raw === 'string' && raw.trim()) {
      const id = resolveAccount(ctx.config, raw);
      const m = risk.accounts.find((a) => a.account === id);
      if (!m) return { title: `Risk — ${id}`, tone: 'warn', lines: ['No data for this account yet: its first sync has not succeeded.'] };
      return accountRiskView(m);
    }
    return portfolioRiskView(risk);
  },
} satisfies Command<CoreContext>;
