/**
 * One SQLite connection serves every caller, so a transaction that awaits between its statements must
 * not let another caller's statement slip into it (a rollback would undo that caller's write too).
 * Transactions run one at a time; a call made outside a transaction waits until none is open.
 */
export class TransactionGate {
  private open: Promise<void> | undefined;

  private async afterIdle(call: () => unknown): Promise<unknown> {
    while (this.open) await this.open;
    return call();
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    while (this.open) await this.open;
    let done!: () => void;
    this.open = new Promise<void>((r) => (done = r));
    try {
      return await fn();
    } finally {
      this.open = undefined;
      done();
    }
  }

  /** `target` with every method made to wait for `idle()` first. */
  guard<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (obj, key, receiver) => {
        const value: unknown = Reflect.get(obj, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]): unknown => (this.open ? this.afterIdle(() => Reflect.apply(value, obj, args)) : Reflect.apply(value, obj, args));
      },
    });
  }
}
