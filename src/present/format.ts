/** Number and time formatting shared by every view builder. Deterministic (no locale surprises). */

/**
 * `toLocaleString` with options builds a new Intl.NumberFormat on every call (~15 µs; it was 13 % of a
 * slash command's CPU): the formatters are built once per digit count instead, with the same output.
 */
const formatters = new Map<number, Intl.NumberFormat>();
function formatter(minDigits: number, maxDigits: number): Intl.NumberFormat {
  // A number key: building a string key per call was a tenth of a 2,000-row table's formatting.
  const key = minDigits * 32 + maxDigits;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits })));
  return f;
}

/**
 * Six significant digits, without exponent, grouping or padded zeros: 0.000012345 (a PEPE price), not
 * 0.0000123450 or 1.23450e-5. For values under 1, where fixed decimals would either pad or cut.
 */
const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6, useGrouping: false });

const SCALE = [1, 10, 100, 1_000, 10_000];

/** "1234567" → "1,234,567". */
function grouped(digits: string): string {
  if (digits.length <= 3) return digits;
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/**
 * `a` (≥ 0) with exactly `digits` decimals, grouped: what `formatter(digits, digits).format(a)` writes,
 * in a quarter of its time (3,000 money cells were half of /status at 1,000 accounts). Intl rounds the
 * shortest decimal that reads back as `a`, half away from zero. That decimal and the float a × 10^digits
 * are both within 2.3e-16 × a × 10^digits of a × 10^digits exactly, so away from a tie (xxx.5) they round
 * alike; near one, and from 2^52, undefined (Intl decides). test/present/format.test.ts checks ties.
 */
function fastFixed(a: number, digits: number): string | undefined {
  const scale = SCALE[digits];
  if (scale === undefined) return undefined;
  const x = a * scale;
  if (!(x < 2 ** 52)) return undefined;
  const floor = Math.floor(x);
  const frac = x - floor;
  if (Math.abs(frac - 0.5) <= x * 4e-16 + 1e-12) return undefined;
  const n = frac > 0.5 ? floor + 1 : floor;
  if (digits === 0) return grouped(String(n));
  const rest = n % scale;
  return `${grouped(String((n - rest) / scale))}.${String(rest).padStart(digits, '0')}`;
}

export function usd(v: number | undefined, digits = 2): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  return `${sign}$${fastFixed(a, digits) ?? formatter(digits, digits).format(a)}`;
}

export function pct(v: number | undefined, digits = 2): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(digits)}%`;
}

/** A size in base units: 4 decimals from 1 up, 6 significant digits below 1; no trailing zeros. */
export function qty(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  // `+ 0` turns −0 (a float residue) into 0, which Intl would print as "-0".
  return Math.abs(v) >= 1 ? trimZeros(v.toFixed(4)) : significant.format(v + 0);
}

export function signedQty(v: number): string {
  return v > 0 ? `+${qty(v)}` : qty(v);
}

/** A price: grouped with up to 2 decimals from 1,000; 4 decimals from 1; significant digits below 1. */
export function price(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v >= 1000) {
    const fixed = fastFixed(v, 2);
    return fixed === undefined ? formatter(0, 2).format(v) : trimZeros(fixed);
  }
  return v >= 1 ? trimZeros(v.toFixed(4)) : significant.format(v);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function age(ms: number): string {
  if (ms < 0) return 'in the future';
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m}m ago`;
  return `${Math.round(m / 60)}h ago`;
}

export function isoTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
