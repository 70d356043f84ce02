import { DeltaOpsError, ErrorCode } from '../errors.js';
import type { TickDeadline } from './tick-deadline.js';

/**
 * Calls `fn` with an AbortSignal that fires after `ms`, or when the tick's `deadline` passes if that
 * comes first; rejects with a 2001 timeout even when the callee ignores the signal, so one stuck venue
 * cannot hold a tick.
 */
export async function withTimeout<T>(ms: number, what: string, fn: (signal: AbortSignal) => Promise<T>, deadline?: TickDeadline): Promise<T> {
  const ctrl = new AbortController();
  return race(ms, what, deadline, (err) => ctrl.abort(err), () => fn(ctrl.signal));
}

/**
 * withTimeout for a venue call: the callee gets call options whose `signal` is only made when read.
 * An AbortController costs more than a paper account's whole sync, and the paper venue answers from
 * memory without looking at it; an HTTP adapter reads it and gets the same abort-on-timeout.
 */
export async function withCallTimeout<T>(
  ms: number, what: string, fn: (opts: { readonly signal: AbortSignal }) => Promise<T>, deadline?: TickDeadline,
): Promise<T> {
  let ctrl: AbortController | undefined;
  let stopped: DeltaOpsError | undefined;
  const opts = {
    get signal(): AbortSignal {
      if (!ctrl) {
        ctrl = new AbortController();
        if (stopped) ctrl.abort(stopped);
      }
      return ctrl.signal;
    },
  };
  const stop = (err: DeltaOpsError): void => {
    stopped = err;
    ctrl?.abort(err);
  };
  return race(ms, what, deadline, stop, () => fn(opts));
}

/** What a finished call's deadline branch resolves to: nothing left to stop, nobody listening. */
const NEVER: Promise<never> = new Promise(() => undefined);

/**
 * `run()` against its own timer and the tick's deadline; whichever ends first stops the callee. The
 * deadline is one shared promise, not a signal listener per call, so thousands of paper accounts add no
 * listeners and no controllers.
 */
async function race<T>(ms: number, what: string, deadline: TickDeadline | undefined, stop: (err: DeltaOpsError) => void, run: () => Promise<T>): Promise<T> {
  if (deadline?.expired) throw deadline.error(what);
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  const expire = (err: DeltaOpsError): Promise<never> => {
    if (settled) return NEVER;
    stop(err);
    return Promise.reject(err);
  };
  const racers: Promise<T>[] = [
    run(),
    new Promise<never>((resolve) => {
      timer = setTimeout(() => resolve(expire(new DeltaOpsError(ErrorCode.VenueTimeout, `${what} timed out after ${ms} ms`, { retryable: true }))), ms);
    }),
  ];
  if (deadline) racers.push(deadline.passed.then(() => expire(deadline.error(what))));
  try {
    return await Promise.race(racers);
  } finally {
    settled = true;
    clearTimeout(timer);
  }
}
