/**
 * Float hygiene for plan numbers. Sizes from venues are short decimals (0.123, 0.3, 1000), but binary
 * floats turn `1.0 − 0.7` into 0.30000000000000004 and `0.29 × 100` into 28.999999999999996. Plans show
 * these numbers to people and compare them with lot sizes, so sums are done on scaled integers and
 * products are trimmed to a fixed number of significant digits.
 */

/** Beyond this many decimals a number is treated as noise rather than a venue quantity. */
const MAX_DECIMALS = 15;

/** Significant digits kept for prices, notionals and fees (enough for $10B to the cent). */
const MONEY_DIGITS = 12;

/**
 * Decimal places a number really has, ignoring binary-float tails: 0.1 → 1, 0.123 → 3,
 * 0.30000000000000004 → 1, 1e-7 → 7, 1.5e-8 → 9, 1000 → 0.
 */
export function decimalPlaces(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return 0;
  const text = String(Number(Math.abs(x).toPrecision(15)));
  const [mantissa = '', exponent] = text.split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  const places = fraction.length - (exponent === undefined ? 0 : Number(exponent));
  return Math.min(Math.max(places, 0), MAX_DECIMALS);
}

/**
 * Σ values without float drift: each value is scaled to an integer by the most decimals among them.
 * Falls back to a plain sum trimmed to 15 significant digits when scaling would pass 2^53.
 */
export function sumDecimals(values: readonly number[], knownPlaces?: number): number {
  // `knownPlaces`: the caller already has the most decimal places among `values` (it must be exact).
  const places = knownPlaces ?? values.reduce((max, v) => Math.max(max, decimalPlaces(v)), 0);
  const scale = 10 ** places;
  let units = 0;
  for (const v of values) {
    const scaled = Math.round(v * scale);
    if (!Number.isSafeInteger(scaled)) return trimDigits(values.reduce((s, x) => s + x, 0), 15);
    units += scaled;
  }
  if (!Number.isSafeInteger(units)) return trimDigits(values.reduce((s, x) => s + x, 0), 15);
  return units / scale;
}

/** a − b without float drift (1.0 − 0.7 = 0.3). */
export function subtractDecimals(a: number, b: number): number {
  return sumDecimals([a, -b]);
}

/** Trims a computed money value (price × size, notional × fee) to 12 significant digits. */
export function cleanMoney(x: number): number {
  return trimDigits(x, MONEY_DIGITS);
}

/** Trims a computed quantity (size ÷ multiplier) to 15 significant digits. */
export function cleanQuantity(x: number): number {
  return trimDigits(x, 15);
}

function trimDigits(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x;
  return Number(x.toPrecision(digits));
}
