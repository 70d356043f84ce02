/**
 * Relative deviation of a net position from its target (design.md §2):
 * `|net − target| / hedgeSize`, 0 when both are 0, 1 when hedgeSize is 0 but net ≠ target.
 *
 * Shared by the risk report and the delta planner so both quote the same number.
 */
export function computeDeviation(net: number, target: number, hedgeSize: number): number {
  const gap = Math.abs(net - target);
  if (hedgeSize > 0) return gap / hedgeSize;
  // Without a hedge there is nothing to be relative to: either on target or fully off it.
  // A float residue (e.g. 0.1 + 0.2 − 0.3) must not read as "fully off".
  return gap <= NOISE * Math.max(1, Math.abs(net), Math.abs(target)) ? 0 : 1;
}

const NOISE = 1e-12;
