/** Plain number formatting for condition summaries (no markup, no locale surprises). */

export function pctText(v: number, digits = 1): string {
  return `${(v * 100).toFixed(digits)}%`;
}

export function numText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const s = abs >= 1000 ? v.toFixed(0) : abs >= 1 ? v.toFixed(4) : v.toPrecision(4);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function signedText(v: number): string {
  return v > 0 ? `+${numText(v)}` : numText(v);
}

export function durationText(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m}m`;
  return `${Math.round(m / 60)}h`;
}
