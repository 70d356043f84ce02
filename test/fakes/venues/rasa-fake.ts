import { FakeHttpServer, type FakeReply, type LoggedRequest } from './fake-http-server.js';
import { rasaFundingInfo, rasaParty, rasaPositionStates, rasaSymbols, type RasaFakeParty, type RasaPositionStateJson } from './fixtures/rasa.js';

export interface RasaFakeAccount {
  address: string;
  multiAccount: string;
  party: RasaFakeParty;
  states: RasaPositionStateJson[];
}

export const RASA_MULTI_ACCOUNT = '0x5de6949717F3AA8E0Fbed5Ce8B611Ebcf1e44AE9';

/**
 * Rasa hedger routes off the host root: /contract-symbols, /open-interest, /notional_cap/{id},
 * /get_funding_info, /get_balance_info/{address}/{multi}, /partyA_upnl/{address}, POST
 * /position-state/{start}/{size}. Knobs cover the documented number-encoding conflicts.
 */
export class RasaFake extends FakeHttpServer {
  readonly accounts = new Map<string, RasaFakeAccount>();
  symbols = rasaSymbols();
  funding = rasaFundingInfo();
  openInterest = { total_cap: '2438560.667955634347925220', used: '111969.991183710650000000' };
  notionalCaps = new Map<number, { total_cap: string; used: string }>([[1, { total_cap: '2344336.83177192369792522000000000', used: '17746.15500000000000000000000000' }]]);
  /** Balance-info values as JSON numbers (SYM-FE types) or decimal strings (FastAPI Decimal). */
  numberStyle: 'number' | 'string' = 'number';
  /** `/partyA_upnl` as a bare float (SYM-DOC) or a decimal string (generated client). */
  upnlStyle: 'number' | 'string' = 'number';
  /** Leave `upnl` out of balance info, so a client must ask `/partyA_upnl`. */
  omitUpnl = false;

  static address(i: number): string {
    return `0x${(0xa11ce000 + i).toString(16).padStart(40, '0')}`;
  }

  static async withAccounts(n = 1, now?: () => number): Promise<RasaFake> {
    const fake = new RasaFake(now);
    for (let i = 0; i < n; i++) fake.addAccount(RasaFake.address(i));
    await fake.start();
    return fake;
  }

  addAccount(address: string, partial: Partial<RasaFakeAccount> = {}): RasaFakeAccount {
    const acc: RasaFakeAccount = {
      address, multiAccount: RASA_MULTI_ACCOUNT, party: rasaParty(), states: rasaPositionStates(Math.floor(this.now() / 1000)), ...partial,
    };
    this.accounts.set(address.toLowerCase(), acc);
    return acc;
  }

  protected override rateLimitBody(): unknown {
    return { detail: 'Rate limit exceeded' };
  }

  protected handle(req: LoggedRequest): FakeReply | undefined {
    const [, route, a, b] = req.path.split('/');
    switch (route) {
      case 'contract-symbols':
        return { json: { count: this.symbols.length, symbols: this.symbols } };
      case 'open-interest':
        return { json: this.openInterest };
      case 'notional_cap': {
        const cap = this.notionalCaps.get(Number(a));
        return cap ? { json: cap } : { status: 400, json: { detail: 'invalid symbol_id' } };
      }
      case 'get_funding_info': {
        const wanted = req.query.getAll('symbols');
        const entries = Object.entries(this.funding).filter(([k]) => wanted.length === 0 || wanted.includes(k));
        return { json: Object.fromEntries(entries) };
      }
      case 'get_balance_info': {
        const acc = this.accounts.get(decodeURIComponent(a ?? '').toLowerCase());
        if (!acc || decodeURIComponent(b ?? '').toLowerCase() !== acc.multiAccount.toLowerCase()) return { json: {} };
        return { json: { [acc.address]: { party_a: this.renderParty(acc), party_b: this.renderParty({ ...acc, party: rasaParty() }) } } };
      }
      case 'partyA_upnl': {
        const acc = this.accounts.get(decodeURIComponent(a ?? '').toLowerCase());
        if (!acc) return { status: 404, json: { detail: 'address not found' } };
        return { json: this.upnlStyle === 'string' ? String(acc.party.upnl) : acc.party.upnl };
      }
      case 'position-state':
        return req.method === 'POST' ? this.positionState(req, Number(a), Number(b)) : undefined;
      default:
        return undefined;
    }
  }

  private renderParty(acc: RasaFakeAccount): Record<string, unknown> {
    const { upnl, ...rest } = acc.party;
    const fields: Record<string, number> = {
      ...(this.omitUpnl ? {} : { upnl }), ...rest, pending_cva: 0, pending_lf: 0, pending_party_a_mm: 0, pending_party_b_mm: 0,
    };
    const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, this.numberStyle === 'string' ? String(v) : v]));
    return { address: acc.address, ...values, timestamp: Math.floor(this.now() / 1000) };
  }

  private positionState(req: LoggedRequest, start: number, size: number): FakeReply {
    if (!(size >= 1 && size <= 100)) return { status: 422, json: { detail: 'size must be 1..100' } };
    const body = JSON.parse(req.body || '{}') as { address?: string; modify_time_gte?: number; quote_id?: string };
    if (!body.address && !body.quote_id) return { status: 400, json: { detail: 'Provide at least quote_id or address' } };
    const acc = body.address ? this.accounts.get(body.address.toLowerCase()) : undefined;
    const since = body.modify_time_gte ?? 0;
    const rows = (acc?.states ?? []).filter((s) => s.modify_time >= since);
    return { json: { count: rows.length, position_state: rows.slice(start, start + size) } };
  }
}
