/**
 * The dead-man's-switch request: a GET to the monitor's URL (the healthchecks.io / Cronitor convention:
 * any 2xx means "alive"), bounded by `timeoutMs`. Rejects on anything else, with the host and status
 * only: the URL's path is the check's secret. undici is loaded at the first ping, not at start.
 */
export function heartbeatPing(url: string, timeoutMs: number): () => Promise<void> {
  const host = new URL(url).host;
  return async () => {
    const { request } = await import('undici');
    const signal = AbortSignal.timeout(timeoutMs);
    let status: number;
    try {
      const res = await request(url, { method: 'GET', signal, headers: { 'user-agent': 'delta-ops heartbeat' }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      status = res.statusCode;
      await res.body.dump();
    } catch (err) {
      const why = signal.aborted ? `no answer within ${timeoutMs} ms` : err instanceof Error ? `${err.name}${(err as NodeJS.ErrnoException).code ? ` ${(err as NodeJS.ErrnoException).code}` : ''}` : String(err);
      throw new Error(`heartbeat to ${host}: ${why}`);
    }
    if (status < 200 || status >= 300) throw new Error(`heartbeat to ${host}: HTTP ${status}`);
  };
}
