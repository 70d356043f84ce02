/** A store that cannot be opened or used, with one line a person can act on (main prints it and exits 1). */
export class StoreError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreError';
  }
}
