import type { ServerResponse } from 'node:http';

/** One huge body served: bytes handed to the socket, whether all of them were, and when it stopped. */
export interface StreamStat {
  written: number;
  complete: boolean;
  /** Settles when the server stops writing: the body is done or the client hung up. */
  ended: Promise<void>;
}

/**
 * A 200 body of `total` bytes, a JSON string `"xx…x"`, with a content-length or chunked. Writes wait
 * for the socket to drain, so `written` is what the client pulled plus the kernel's buffers: when the
 * client stops reading, the server stops writing.
 */
export function streamHugeBody(res: ServerResponse, total: number, chunked: boolean): StreamStat {
  const stat: StreamStat = { written: 0, complete: false, ended: Promise.resolve() };
  stat.ended = (async () => {
    res.writeHead(200, { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(total) }) });
    const block = Buffer.alloc(64 * 1024, 'x');
    while (stat.written < total && !res.destroyed) {
      const n = Math.min(block.length, total - stat.written);
      const piece = Buffer.from(block.subarray(0, n));
      if (stat.written === 0) piece[0] = 0x22; // the opening quote
      if (stat.written + n === total) piece[n - 1] = 0x22; // the closing quote
      const flushed = res.write(piece);
      stat.written += n;
      if (!flushed) await drainOrClose(res);
    }
    stat.complete = stat.written === total && !res.destroyed;
    if (!res.destroyed) res.end();
  })();
  return stat;
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
