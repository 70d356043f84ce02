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
