/**
 * The structured logger the core writes to (pino fits): an object of fields, then a short message.
 * The core names it here instead of importing a logging library.
 */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger that adds these fields to every line (`{ job: 'tick' }`). */
  child(bindings: Record<string, unknown>): Logger;
}
