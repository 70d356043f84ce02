export { computeDeviation, summarizeSizes, type SizeSummary } from './deviation.js';
export { lotsIn, roundDownToLot } from './lot.js';
export { cleanMoney, cleanQuantity, decimalPlaces, subtractDecimals, sumDecimals } from './decimal.js';
export * from './delta-plan-types.js';
export { planDelta } from './delta-plan.js';
export * from './utilization-plan.js';
