import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1:0 (what undici's ProxyAgent speaks), recording the targets
 * it tunnelled to and the Proxy-Authorization it saw, so a test can prove requests went through it.
 */
export class ConnectProxy {
  readonly tunnels: string[] = [];
  readonly authorizations: (string | undefined)[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  url = '';

  async start(): Promise<string> {
    const server = createServer((_req, res) => {
      res.writeHead(405).end();
    });
    server.on('connect', (req, client: Socket) => {
      this.tunnels.push(req.url ?? '');
      this.authorizations.push(req.headers['proxy-authorization']);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
