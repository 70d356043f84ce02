import { DeltaOpsError, ErrorCode } from '../errors.js';

/**
 * Calls `fn` with an AbortSignal that fires after `ms`; rejects with a 2001 timeout even when the callee
 * ignores the signal, so one stuck venue cannot hold a tick.
 */
export async function withTimeout<T>(ms: number, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DeltaOpsError(ErrorCode.VenueTimeout, `${what} timed out after ${ms} ms`, { retryable: true });
      ctrl.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([fn(ctrl.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
