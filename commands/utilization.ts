import { requireData, type CoreContext } from '../src/app/context.js';
import { utilizationPlanFromSnapshot } from '../src/core/queries/plans.js';
import type { Command } from '../src/present/command.js';
import { pct, usd } from '../src/present/format.js';
import type { View } from '../src/present/view.js';

export const utilizationCommand = {
  name: 'utilization',
  description: 'Utilization per account and a dry-run collateral rebalance plan',
  options: [
    { name: 'target', description: 'Target utilization, 0-1 (default from config, 0.75)', type: 'number', min: 0.01, max: 1 },
    { name: 'tolerance', description: 'Relative tolerance around the target (default 0.10)', type: 'number', min: 0, max: 10 },
  ],
  handle(ctx, input): View {
    const { snapshot } = requireData(ctx);
    const t = input.options['target'];
    const tol = input.options['tolerance'];
    const u = ctx.config.utilization;
    const plan = utilizationPlanFromSnapshot(snapshot, {
      targetUtilization: typeof t === 'number' ? t : u.target,
      tolerance: typeof tol === 'number' ? tol : u.tolerance,
      ...(u.maxRebalanceAmount !== undefined ? { maxRebalanceAmount: u.maxRebalanceAmount } : {}),
    });
    const offTarget = plan.accounts.some((a) => !a.withinTolerance);
    const view: View = {
      title: 'Utilization',
      tone: offTarget ? 'warn' : 'ok',
      lines: [
        `Portfolio ${pct(plan.portfolioUtilization)} (Σ used ${usd(plan.totalUsed)} / Σ equity ${usd(plan.totalEquity)}) · target ${pct(plan.targetUtilization, 0)} ± ${pct(plan.tolerance, 0)}`,
        `DRY RUN — ${plan.reason}`,
      ],
      tables: [{
        title: 'Accounts',
        columns: [{ header: 'Account' }, { header: 'Equity', align: 'right' }, { header: 'Used', align: 'right' }, { header: 'Util', align: 'right' }, { header: 'Dev', align: 'right' }, { header: 'Action' }, { header: 'Adjust', align: 'right' }],
        rows: plan.accounts.map((a) => [a.account, usd(a.equity), usd(a.used), pct(a.utilization, 1), pct(a.deviationPercent, 1), a.action, usd(a.adjustmentAmount)]),
      }],
    };
    if (plan.transfers.length) {
      view.tables!.push({ title: `Transfers (total ${usd(plan.totalTransferred)}${plan.capped ? ', capped by maxRebalanceAmount' : ''})`, columns: [{ header: 'From' }, { header: 'To' }, { header: 'Amount', align: 'right' }], rows: plan.transfers.map((x) => [x.from, x.to, usd(x.amount)]) });
    }
    if (plan.externalDeposits.length) {
      view.tables!.push({ title: `External deposits (total ${usd(plan.totalExternalDeposits)})`, columns: [{ header: 'Account' }, { header: 'Amount', align: 'right' }], rows: plan.externalDeposits.map((x) => [x.account, usd(x.amount)]) });
    }
    return view;
  },
} satisfies Command<CoreContext>;
