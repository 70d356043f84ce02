/**
 * Short alert ids people can type: Crockford base32 (no i, l, o, u), derived from the row id by a
 * bijective scramble, so they are unique for ever without a lookup and do not look sequential
 * (a typo of one character rarely hits another live alert).
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const MULTIPLIER = 0x9e3b5; // odd: multiplication modulo 2^bits is a bijection

export function shortIdFor(id: number): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`alert id must be a positive integer, got ${id}`);
  // 4 characters (20 bits) for the first million alerts, then 5, 6, … each with its own bijection.
  let chars = 4;
  while (id >= 2 ** (chars * 5)) chars++;
  const bits = BigInt(chars * 5);
  const mask = (1n << bits) - 1n;
  let x = (BigInt(id) * BigInt(MULTIPLIER) + 0x5a5a5n) & mask;
  let out = '';
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[Number(x & 31n)] + out;
    x >>= 5n;
  }
  return out;
}

/** What a person typed, in the stored form: lower case, Crockford look-alikes mapped. */
export function normalizeShortId(input: string): string {
  return input.trim().toLowerCase().replace(/[il]/g, '1').replace(/o/g, '0');
}

export function isShortIdShape(input: string): boolean {
  return /^[0-9a-hjkmnp-tv-z]{4,8}$/.test(normalizeShortId(input));
}
