import { createHmac } from 'node:crypto';

/** Hex HMAC-SHA256 of the exact query string with the API secret (venues.md §2.4, §3.2). */
export function hmacSignature(totalParams: string, secret: string): string {
  return createHmac('sha256', secret).update(totalParams).digest('hex');
}

/**
 * `k=v&…&recvWindow=…&timestamp=…&signature=…`: params in the given order, `signature` last, signed
 * over exactly the bytes that are sent.
 */
export function signedQuery(params: Record<string, string | number>, secret: string): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return `${query}&signature=${hmacSignature(query, secret)}`;
}
