/**
 * Polls until `cond` holds, for conditions another process or a timer drives. The limit only guards
 * against a hang; nothing is asserted about how long it took.
 */
export async function until(what: string, cond: () => boolean, limitMs = 15_000, refresh?: () => Promise<void>): Promise<void> {
  const started = Date.now();
  await refresh?.();
  while (!cond()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
    await refresh?.();
  }
}
