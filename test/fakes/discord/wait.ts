/**
 * Resolves with the first non-undefined value of `check`, re-evaluated whenever `subscribe`'s
 * callback fires; rejects after `timeoutMs` with `describe()` so a failing test says what it saw.
 */
export function waitUntil<T>(
  check: () => T | undefined,
  subscribe: (onChange: () => void) => () => void,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const now = check();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      fn();
    };
    const unsubscribe = subscribe(() => {
      let value: T | undefined;
      try {
        value = check();
      } catch (err) {
        finish(() => reject(err instanceof Error ? err : new Error(String(err))));
        return;
      }
      if (value !== undefined) finish(() => resolve(value));
    });
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`))), timeoutMs);
  });
}

/** A minimal change signal: listeners are called on every `notify()`. */
export class Signal {
  private readonly listeners = new Set<() => void>();

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  notify(): void {
    for (const l of [...this.listeners]) l();
  }
}
