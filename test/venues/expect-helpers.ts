import { expect } from 'vitest';
import { isVenueError, type VenueError } from '../../src/venues/http/venue-error.js';

/** Numbers compared to 12 significant places; everything else exactly. */
export function expectFields(actual: object | undefined, expected: object): void {
  expect(actual).toBeDefined();
  const a = actual as Record<string, unknown>;
  for (const [k, v] of Object.entries(expected)) {
    if (typeof v === 'number' && typeof a[k] === 'number') expect(a[k] as number, k).toBeCloseTo(v, 12 - Math.max(0, Math.ceil(Math.log10(Math.abs(v) + 1))));
    else expect(a[k], k).toEqual(v);
  }
}

export async function expectVenueError(p: Promise<unknown>): Promise<VenueError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(isVenueError(e), `expected a VenueError, got ${String(e)}`).toBe(true);
  return e as VenueError;
}
