import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:<port>` to connect to instead of the target. */
  port: number;
  /**
   * A network partition: every open connection is dropped (both ends reset) and new ones are accepted
   * but never answered, as a host cut off behind a firewall that drops packets.
   */
  cut(): void;
  /** The network is back: new connections go through again. */
  heal(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy to `127.0.0.1:targetPort` that a test can cut and heal. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let partitioned = false;
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (partitioned) return; // accepted, never answered
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    cut() {
      partitioned = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    heal() {
      partitioned = false;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of open) s.destroy();
        server.close(() => done());
      }),
  };
}
