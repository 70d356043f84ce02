import type { ParsedBody } from './http-body.js';

export interface RouteRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: ParsedBody;
}

export interface RouteResponse {
  status: number;
  json?: unknown;
  raw?: { bytes: Buffer; contentType: string };
}

export type RouteHandler = (req: RouteRequest) => RouteResponse | Promise<RouteResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  /** Interaction callbacks and webhook-token routes are the only ones Discord serves without a bot token. */
  auth: boolean;
  handler: RouteHandler;
}

export interface RouteMatch {
  handler: RouteHandler;
  params: Record<string, string>;
  auth: boolean;
}

/** Express-style `/channels/:channelId/messages` patterns over the versioned API path. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: RouteHandler, opts: { auth?: boolean } = {}): void {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(seg.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, auth: opts.auth ?? true, handler });
  }

  /** The route for a request; `methodMismatch` when the path exists under another method (405). */
  match(method: string, path: string): RouteMatch | 'method-mismatch' | null {
    let pathKnown = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { handler: r.handler, params, auth: r.auth };
    }
    return pathKnown ? 'method-mismatch' : null;
  }
}
