import { describe, expect, it } from 'vitest';
import type { FundingReport, FundingRow } from '../../src/core/queries/funding.js';
import { fundingView } from '../../src/present/funding-view.js';

const btc: FundingRow = {
  venue: 'paper', symbol: 'BTC', venueSymbol: 'BTC-PERP', rate: 0.0001, intervalHours: 8, rate8h: 0.0001, apr: 0.1095,
  bookSize: 0.3, grossNotional: 222_000, carry8h: -1.8,
};

describe('fundingView', () => {
  it('quotes the carry APR on the gross notional', () => {
    // −1.80 × 3 × 365 / 402,000 = −0.4903 % → "-0.49%".
    const f: FundingReport = { rows: [btc], netCarry8h: -1.8, netCarryApr: (-1.8 * 3 * 365) / 402_000, grossNotional: 402_000 };
    const view = fundingView(f, undefined);
    expect(view.lines).toEqual(['Net carry -$1.80 per 8 h (-0.49% APR on $402,000 gross) — positive means the book earns.']);
    expect(view.tone).toBe('warn');
    expect(view.tables?.[0]?.rows).toEqual([['BTC', 'paper', '0.0100%', '10.95%', '8h', '—', '0.3', '$222,000', '-$1.80']]);
  });

  it('a hedged book shows 0.00 % on its real gross; without positions it says there is none', () => {
    const hedged: FundingReport = { rows: [{ ...btc, bookSize: 0, grossNotional: 420_000, carry8h: 0 }], netCarry8h: 0, netCarryApr: 0, grossNotional: 420_000 };
    expect(fundingView(hedged, undefined).lines?.[0]).toBe('Net carry $0.00 per 8 h (0.00% APR on $420,000 gross) — positive means the book earns.');
    const none: FundingReport = { rows: [{ ...btc, bookSize: 0, grossNotional: 0, carry8h: 0 }], netCarry8h: 0, netCarryApr: 0, grossNotional: 0 };
    expect(fundingView(none, 'BTC').lines).toEqual(['Net carry $0.00 per 8 h — the book holds no position on a contract with a funding quote.']);
  });
});
