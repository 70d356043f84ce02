/**
 * Seeded generators for property-style tests: the same seed gives the same cases, so a failure prints
 * its seed and case index and reproduces exactly. mulberry32: small, fast, good enough for fuzzing.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.int(0, xs.length - 1)]!;
  }
}

/** Pieces of hostile text: mentions, markdown and code-block breakers, bidi and zero-width marks, emoji. */
export const NASTY_ATOMS: readonly string[] = [
  '@everyone', '@here', '@everyone@here', '<@123456789012345678>', '<@!123456789012345678>', '<@&123456789012345678>',
  '<#123456789012345678>', '</status:123456789012345678>', '```', '``', '`', '```js\n', '||', '**', '__', '~~', '*', '_',
  '> ', '>>> ', '# ', '-# ', '- ', '1. ', '[click](https://evil.example/x)', 'https://evil.example/?a=1&b=2', '<https://x.example>',
  '\u202e', '\u202d', '\u200f', '\u200b', '\u200d', '\u2060', '\ufeff', '\u0000', '\u0007', '\u001b[31m', '\r', '\n', '\r\n', '\t',
  '🙂', '👨‍👩‍👧‍👦', '🏳️‍🌈', '\ud83d', '\ude00', 'العربية', '中文字符', 'Ελληνικά', 'Z̵̡̢͙a̸l̷g̶o̴', '\\', '\\\\', '"', "'", ':', '::',
  'BTC', 'ETH', 'acc-1', 'acc-2', 'k3v9', 'auto', 'paper', '%s%n', '${process.env}', '{{7*7}}', '</script>', 'null', 'undefined', 'NaN',
  '-1', '0', '1e309', '-0', 'Infinity', ' ', '',
];

/** Numbers at the edges: non-finite, signed zero, denormals, huge, unsafe integers, plain fractions. */
export const NASTY_NUMBERS: readonly number[] = [
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 1, -1, 0.5, 1e-320, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, -(2 ** 63), 1e12, -1e12, 1e21, 0.1 + 0.2, 0.049999999999, 1 - 1e-16, 100, 0.01, 10,
];

/** How a number may be typed in the console. */
export const NASTY_NUMBER_TEXT: readonly string[] = [
  'NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '-0', '0x10', '0b11', '1_000', '١٢٣', '٣', '  5', '+5', '.5', '5.', '1e-400', '',
  '0.1', '1', '-1', '99999999999999999999999', '1,5', '1.2.3', '½', '∞', '0.05', '2',
];

/** A hostile string of roughly `maxLen` characters at most (sometimes exactly at a limit, sometimes far over). */
export function nastyString(r: Prng, maxLen = 200): string {
  const roll = r.next();
  if (roll < 0.08) return r.pick(['x', '@everyone', '`']).repeat(r.pick([maxLen, maxLen + 1, 10_000]));
  if (roll < 0.16) return r.pick(NASTY_ATOMS);
  let s = '';
  const parts = r.int(1, 8);
  for (let i = 0; i < parts; i++) s += r.bool(0.7) ? r.pick(NASTY_ATOMS) : String.fromCodePoint(r.int(0x20, 0x2fff));
  return s.length > maxLen && r.bool(0.7) ? s.slice(0, maxLen) : s;
}

export function nastyNumber(r: Prng, min?: number, max?: number): number {
  if (min !== undefined && max !== undefined && r.bool(0.5)) {
    const x = min + (max - min) * r.next();
    return r.bool(0.2) ? r.pick([min, max]) : x;
  }
  return r.pick(NASTY_NUMBERS);
}
