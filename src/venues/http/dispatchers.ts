import { Pool, ProxyAgent, type Dispatcher } from 'undici';

export interface DispatcherOptions {
  /** Origin of the venue, e.g. `https://fapi.binance.com`. */
  origin: string;
  /** Max sockets per egress (direct pool or one proxy). */
  concurrency: number;
  keepAliveMs?: number;
}

/**
 * The venue's connections: one keep-alive pool for direct calls and one ProxyAgent per distinct proxy
 * URL, created on first use and shared by the accounts that name the same proxy.
 */
export class Dispatchers {
  private direct: Pool | undefined;
  private readonly proxies = new Map<string, ProxyAgent>();

  constructor(private readonly opts: DispatcherOptions) {}

  for(proxyUrl: string | undefined): Dispatcher {
    if (proxyUrl) {
      let agent = this.proxies.get(proxyUrl);
      if (!agent) {
        agent = new ProxyAgent({ uri: proxyUrl, connections: this.opts.concurrency, keepAliveTimeout: this.keepAlive() });
        this.proxies.set(proxyUrl, agent);
      }
      return agent;
    }
    this.direct ??= new Pool(this.opts.origin, { connections: this.opts.concurrency, keepAliveTimeout: this.keepAlive() });
    return this.direct;
  }

  async close(): Promise<void> {
    const all: Dispatcher[] = [...this.proxies.values()];
    if (this.direct) all.push(this.direct);
    this.proxies.clear();
    this.direct = undefined;
    // destroy(), not close(): a hung request must not hold shutdown.
    await Promise.allSettled(all.map((d) => d.destroy()));
  }

  private keepAlive(): number {
    return this.opts.keepAliveMs ?? 30_000;
  }
}
