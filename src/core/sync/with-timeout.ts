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

/**
 * withTimeout for a venue call: the callee gets call options whose `signal` is only made when read.
 * An AbortController costs more than a paper account's whole sync, and the paper venue answers from
 * memory without looking at it; an HTTP adapter reads it and gets the same abort-on-timeout.
 */
export async function withCallTimeout<T>(ms: number, what: string, fn: (opts: { readonly signal: AbortSignal }) => Promise<T>): Promise<T> {
  let ctrl: AbortController | undefined;
  let timedOut: DeltaOpsError | undefined;
  const opts = {
    get signal(): AbortSignal {
      if (!ctrl) {
        ctrl = new AbortController();
        if (timedOut) ctrl.abort(timedOut);
      }
      return ctrl.signal;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = new DeltaOpsError(ErrorCode.VenueTimeout, `${what} timed out after ${ms} ms`, { retryable: true });
      ctrl?.abort(timedOut);
      reject(timedOut);
    }, ms);
  });
  try {
    return await Promise.race([fn(opts), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
