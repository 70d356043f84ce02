/**
 * Runs `fn` over `items` with at most `limit` calls in flight. Results keep the input order; a rejected
 * call becomes `{ ok: false }` and never stops the others.
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function runBounded<I, T>(items: readonly I[], limit: number, fn: (item: I, index: number) => Promise<T>): Promise<Settled<T>[]> {
  const results: Settled<T>[] = new Array<Settled<T>>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { ok: true, value: await fn(items[i] as I, i) };
      } catch (error) {
        results[i] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * runBounded with one bound per lane (the items' venue): a venue whose calls hang fills only its own
 * `limit` slots, never the ones a healthy venue's items are waiting for. Results keep the input order.
 */
export async function runLanes<I, T>(items: readonly I[], laneOf: (item: I) => string, limit: number, fn: (item: I) => Promise<T>): Promise<Settled<T>[]> {
  const lanes = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = laneOf(item);
    const lane = lanes.get(key);
    if (lane) lane.push(i);
    else lanes.set(key, [i]);
  });
  const results: Settled<T>[] = new Array<Settled<T>>(items.length);
  await Promise.all(
    [...lanes.values()].map(async (indices) => {
      const settled = await runBounded(indices, limit, (i) => fn(items[i] as I));
      settled.forEach((r, k) => (results[indices[k] as number] = r));
    }),
  );
  return results;
}
