import { FakeHttpServer, CLOUDFRONT_403, type FakeReply, type LoggedRequest } from './fake-http-server.js';
import {
  pacificaAccountData, pacificaMarkets, pacificaPositions, pacificaPrices, pacificaSettings, type PacificaPositionJson,
} from './fixtures/pacifica.js';

export interface PacificaFakeAccount {
  account: Record<string, unknown>;
  positions: PacificaPositionJson[];
  settings: Record<string, unknown>;
}

const ok = (data: unknown, extra: Record<string, unknown> = {}): FakeReply => ({ json: { success: true, data, error: null, code: null, ...extra } });

/**
 * Pacifica REST under `/api/v1`: `/account`, `/positions`, `/account/settings` by `?account=`, and
 * `/info`, `/info/prices`. State is plain data, mutable between calls. Like CloudFront, it rejects a GET
 * that carries a body with an HTML 403.
 */
export class PacificaFake extends FakeHttpServer {
  readonly accounts = new Map<string, PacificaFakeAccount>();
  markets = pacificaMarkets();
  prices = pacificaPrices();
  /** Serve `/account` data as a one-element array (older docs). */
  accountAsArray = false;
  lastOrderId = 1557431179;

  /** A fake with `n` accounts `PacAcct0…`, each holding the fixture book. */
  static async withAccounts(n = 1, now?: () => number): Promise<PacificaFake> {
    const fake = new PacificaFake(now);
    for (let i = 0; i < n; i++) fake.addAccount(PacificaFake.address(i));
    await fake.start();
    return fake;
  }

  static address(i: number): string {
    return `PacAcct${i}7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU`;
  }

  override get apiBase(): string {
    return `${this.url}/api/v1`;
  }

  addAccount(address: string, partial: Partial<PacificaFakeAccount> = {}): PacificaFakeAccount {
    const acc: PacificaFakeAccount = {
      account: pacificaAccountData(),
      positions: pacificaPositions(),
      settings: pacificaSettings(),
      ...partial,
    };
    this.accounts.set(address, acc);
    return acc;
  }

  protected override rateLimitBody(status: number): unknown {
    return { success: false, data: null, error: 'Rate limit exceeded', code: status };
  }

  protected handle(req: LoggedRequest): FakeReply | undefined {
    if (req.method === 'GET' && req.body.length > 0) {
      return { status: 403, text: CLOUDFRONT_403, headers: { 'content-type': 'text/html', server: 'CloudFront' } };
    }
    const path = req.path.replace(/^\/api\/v1/, '');
    if (path === '/info') return ok(this.markets);
    if (path === '/info/prices') return ok(this.prices);
    const address = req.query.get('account');
    if (!address) return { status: 400, json: { success: false, data: null, error: 'account is required', code: 400 } };
    const acc = this.accounts.get(address);
    if (!acc) return { status: 422, json: { success: false, data: null, error: 'Account not found', code: 1 } };
    switch (path) {
      case '/account':
        return ok(this.accountAsArray ? [acc.account] : acc.account);
      case '/positions':
        return ok(acc.positions, { last_order_id: this.lastOrderId });
      case '/account/settings':
        return ok(acc.settings);
      default:
        return undefined;
    }
  }
}
