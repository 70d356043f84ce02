import { requireData, type CoreContext } from './context.js';
import { utilizationPlanFromSnapshot } from '../src/core/queries/plans.js';
import { utilizationPlanLevel } from '../src/core/queries/utilization-level.js';
import { UTILIZATION_DEFAULTS } from '../src/core/thresholds/defaults.js';
import type { Command } from '../src/present/command.js';
import { utilizationView } from '../src/present/utilization-view.js';
import type { View } from '../src/present/view.js';

export const utilizationCommand = {
  name: 'utilization',
  description: 'Utilization per account and a dry-run collateral rebalance plan',
  options: [
    { name: 'target', description: `Target utilization, 0-1 (default from config, ${UTILIZATION_DEFAULTS.target})`, type: 'number', min: 0.01, max: 1 },
    { name: 'tolerance', description: `Relative tolerance around the target (default ${UTILIZATION_DEFAULTS.tolerance})`, type: 'number', min: 0, max: 10 },
  ],
  handle(ctx, input): View {
    const { snapshot } = requireData(ctx);
    const t = input.options['target'];
    const tol = input.options['tolerance'];
    const u = ctx.config.utilization;
    const plan = utilizationPlanFromSnapshot(snapshot, {
      targetUtilization: typeof t === 'number' ? t : u.target,
      tolerance: typeof tol === 'number' ? tol : u.tolerance,
      maxRebalanceAmount: u.maxRebalanceAmount,
    });
    return utilizationView(plan, utilizationPlanLevel(plan, ctx.config));
  },
} satisfies Command<CoreContext>;
