/** Node's codes for a server that cannot be reached (down, wrong port, network cut). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** SQLSTATE class 08 (connection exception) and 57P0x (the server is shutting down or starting up). */
const SQLSTATE_UNAVAILABLE = /^(08|57P0[1-3])/;

/**
 * Whether an error from opening or querying PostgreSQL means "not reachable right now" (worth waiting
 * for), as opposed to a problem a person must fix (wrong password, missing database, failed migration).
 */
export function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATE_UNAVAILABLE.test(code))) return true;
    const message = e instanceof Error ? e.message : '';
    if (/timeout exceeded when trying to connect|Connection terminated|connection timeout/i.test(message)) return true;
    if (e instanceof AggregateError && e.errors.some((x) => isConnectionError(x))) return true;
  }
  return false;
}
