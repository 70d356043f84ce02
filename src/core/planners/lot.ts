import { decimalPlaces } from '../decimal.js';

/**
 * Scaled values this close to a whole number are that whole number: 0.29 × 100 = 28.999999999999996 is
 * 29 units, not 28. Relative, so it stays meaningful for big PEPE-sized quantities too.
 */
const SNAP_TOLERANCE = 1e-9;

/**
 * Whole lots in |size|, counted on integers scaled by the lot size's decimal places so that
 * 0.3 / 0.1 is 3 lots (a plain float division gives 2.9999999999999996 → 2).
 * `lotSize` must be > 0.
 */
export function lotsIn(size: number, lotSize: number): number {
  if (!(lotSize > 0) || !Number.isFinite(lotSize)) {
    throw new RangeError(`lot size must be a positive number, got ${lotSize}`);
  }
  const magnitude = Math.abs(size);
  if (!Number.isFinite(magnitude) || magnitude === 0) return 0;
  const scale = 10 ** decimalPlaces(lotSize);
  const lotUnits = Math.round(lotSize * scale);
  const sizeUnits = snapToInteger(magnitude * scale);
  if (!Number.isSafeInteger(sizeUnits)) {
    // Too large to scale exactly (far beyond any real position); fall back to a snapped division.
    return snapToInteger(magnitude / lotSize);
  }
  return Math.floor(sizeUnits / lotUnits);
}

/**
 * Rounds a size toward zero to a whole number of lots, with no float tail in the result:
 * (0.3, 0.1) → 0.3; (0.123, 0.001) → 0.123; (1_234_567.8, 1000) → 1_234_000; (−0.37, 0.1) → −0.3.
 */
export function roundDownToLot(size: number, lotSize: number): number {
  const lots = lotsIn(size, lotSize);
  if (lots === 0) return 0;
  const scale = 10 ** decimalPlaces(lotSize);
  const lotUnits = Math.round(lotSize * scale);
  // Integer ÷ power of ten is the closest double to the decimal, e.g. 123 / 1000 → 0.123.
  const magnitude = (lots * lotUnits) / scale;
  return size < 0 ? -magnitude : magnitude;
}

function snapToInteger(x: number): number {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) <= SNAP_TOLERANCE * Math.max(1, nearest) ? nearest : Math.floor(x);
}
