import { z } from 'zod';

/**
 * Venue decimals arrive as JSON strings (`"0.0000125"`) or numbers (Rasa's FastAPI mixes both, and a
 * captured Pacifica `/account` has `"positions_count": "0"`); every numeric field of every venue schema
 * is parsed with these helpers, once, and nowhere else. Schemas list only the fields the mappers use, so
 * a field we never read cannot fail a payload.
 */
export const decimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: 'not a decimal number' });
    return z.NEVER;
  }
  return n;
});

/** A decimal that may be null, empty or absent (Pacifica `liquidation_price`, `cross_account_equity`). */
export const optionalDecimal = z
  .union([decimal, z.literal('')])
  .nullish()
  .transform((v) => (v === null || v === '' ? undefined : v));

/** Epoch ms or seconds, counts, codes: a JSON number or a numeric string (Pacifica sends both). */
export const integer = decimal.refine((n) => Number.isInteger(n), 'not an integer');

/** An integer that may be null, empty or absent (a venue's error code, an optional timestamp). */
export const optionalInteger = z
  .union([integer, z.literal('')])
  .nullish()
  .transform((v) => (v === null || v === '' ? undefined : v));

/**
 * `value × multiplier` without binary noise (1.005 × 1000 gives 1005, not 1004.9999999999999).
 * Multipliers are powers of ten, so 15 significant digits are exact for any venue quantity.
 */
export function scale(value: number, multiplier: number): number {
  if (multiplier === 1) return value;
  return Number((value * multiplier).toPrecision(15));
}

/** A price per contract unit → per base unit (`1000PEPEUSDT` mark 0.0123 → PEPE 0.0000123). */
export function perBaseUnit(price: number, multiplier: number): number {
  return scale(price, 1 / multiplier);
}
