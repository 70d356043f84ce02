/** Injected wait; tests pass one that records delays and returns at once. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Uniform [0, 1) source; injected so jitter is reproducible in tests. */
export type Random = () => number;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
