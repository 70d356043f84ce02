import type { Dispatcher } from 'undici';

/**
 * Largest response body read by default. A venue's whole exchangeInfo is a few MB at most; a body far
 * beyond that is a broken venue or a proxy's error dump, and reading it whole once took the process
 * from 335 MB to 1.6 GB (issue #11).
 */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export type CappedBody = { kind: 'text'; text: string } | { kind: 'too-large'; declaredBytes?: number };

const utf8 = new TextDecoder('utf-8');

/**
 * Read a response body, at most `maxBytes` of it. A declared content-length over the limit is refused
 * before a byte is read; a chunked body is counted as it streams and the read is aborted (undici then
 * drops the socket) as soon as it passes the limit. Either way the memory spent is bounded by the limit.
 */
export async function readCappedBody(res: Pick<Dispatcher.ResponseData, 'headers' | 'body'>, maxBytes: number): Promise<CappedBody> {
  const declared = contentLength(res.headers['content-length']);
  if (declared !== undefined && declared > maxBytes) {
    abort(res.body);
    return { kind: 'too-large', declaredBytes: declared };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<unknown>) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > maxBytes) {
      abort(res.body);
      return { kind: 'too-large' };
    }
    chunks.push(buf);
  }
  return { kind: 'text', text: utf8.decode(Buffer.concat(chunks, total)) };
}

/**
 * Stop reading and let undici drop the socket. Destroying an unfinished undici body emits an
 * `AbortError('Request aborted')`; nobody else listens to this body, so that event is expected and
 * swallowed here rather than crashing the process as an uncaught error.
 */
function abort(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function contentLength(v: string | string[] | undefined): number | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s !== undefined && /^\d+$/.test(s.trim()) ? Number(s) : undefined;
}

/** `8 MiB`, `64 KiB`, `1025 bytes`: exact, for an error message an operator can act on. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
