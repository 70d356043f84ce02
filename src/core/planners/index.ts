export { computeDeviation, summarizeSizes, type SizeSummary } from '../risk/deviation.js';
export { lotsIn, roundDownToLot } from './lot.js';

export * from './delta-plan-types.js';
export { planDelta } from './delta-plan.js';
export * from './utilization-plan.js';
