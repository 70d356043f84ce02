import type { PaperMarketConfig, TimelineEvent } from '../../config/schema.js';
import type { Balance, Position } from '../../core/types.js';
import { normal } from './seeded-random.js';

interface PaperPosition {
  size: number;
  entryPrice: number;
  liquidationPrice?: number;
}

interface PaperAccount {
  /** Equity excluding unrealised PnL; equity = cash + Σ uPnL. */
  cash: number;
  /** Margin in use; available = equity − used. */
  used: number;
  maintenanceMargin?: number;
  positions: Map<string, PaperPosition>;
  failing: boolean;
}

export interface PaperAccountSeed {
  id: string;
  equity: number;
  available: number;
  maintenanceMargin?: number;
  positions: Record<string, { size: number; entryPrice?: number; liquidationPrice?: number }>;
}

/**
 * The simulated book behind the paper venue: prices walk (seeded), the timeline edits sizes, balances
 * and prices at given ticks. Equity follows the marks, so drawdown and utilization move with price.
 */
export class PaperBook {
  private readonly prices = new Map<string, number>();
  private readonly accounts = new Map<string, PaperAccount>();
  private tick = 0;

  constructor(
    private readonly markets: Record<string, PaperMarketConfig>,
    seeds: readonly PaperAccountSeed[],
    private readonly timeline: readonly TimelineEvent[],
    private readonly random: () => number,
  ) {
    for (const [symbol, m] of Object.entries(markets)) this.prices.set(symbol, m.price);
    for (const s of seeds) {
      const positions = new Map<string, PaperPosition>();
      for (const [symbol, p] of Object.entries(s.positions)) {
        const pos: PaperPosition = { size: p.size, entryPrice: p.entryPrice ?? this.price(symbol) };
        if (p.liquidationPrice !== undefined) pos.liquidationPrice = p.liquidationPrice;
        positions.set(symbol, pos);
      }
      const account: PaperAccount = { cash: 0, used: s.equity - s.available, positions, failing: false };
      if (s.maintenanceMargin !== undefined) account.maintenanceMargin = s.maintenanceMargin;
      account.cash = s.equity - this.upnl(account);
      this.accounts.set(s.id, account);
    }
    this.applyTimeline(0);
  }

  /** Moves the simulation to `tick` (idempotent for a tick already reached). */
  advanceTo(tick: number): void {
    while (this.tick < tick) {
      this.tick += 1;
      this.walk();
      this.applyTimeline(this.tick);
    }
  }

  price(symbol: string): number {
    const p = this.prices.get(symbol);
    if (p === undefined) throw new Error(`paper market ${symbol} is not configured`);
    return p;
  }

  symbols(): string[] {
    return [...this.prices.keys()];
  }

  isFailing(id: string): boolean {
    return this.account(id).failing;
  }

  balance(id: string): Balance {
    const a = this.account(id);
    const equity = a.cash + this.upnl(a);
    const b: Balance = { equity, available: Math.max(0, equity - a.used), unrealizedPnl: this.upnl(a) };
    if (a.maintenanceMargin !== undefined) b.maintenanceMargin = a.maintenanceMargin;
    return b;
  }

  positions(id: string): Position[] {
    const out: Position[] = [];
    for (const [symbol, p] of this.account(id).positions) {
      if (p.size === 0) continue;
      const mark = this.price(symbol);
      const pos: Position = { symbol, venueSymbol: `${symbol}-PERP`, size: p.size, entryPrice: p.entryPrice, markPrice: mark, unrealizedPnl: (mark - p.entryPrice) * p.size };
      if (p.liquidationPrice !== undefined) pos.liquidationPrice = p.liquidationPrice;
      out.push(pos);
    }
    return out.sort((x, y) => x.symbol.localeCompare(y.symbol));
  }

  private account(id: string): PaperAccount {
    const a = this.accounts.get(id);
    if (!a) throw new Error(`paper account ${id} is not configured`);
    return a;
  }

  private upnl(a: PaperAccount): number {
    let sum = 0;
    for (const [symbol, p] of a.positions) sum += (this.price(symbol) - p.entryPrice) * p.size;
    return sum;
  }

  private walk(): void {
    for (const [symbol, m] of Object.entries(this.markets)) {
      if (m.volatility <= 0) continue;
      this.prices.set(symbol, this.price(symbol) * Math.exp(m.volatility * normal(this.random)));
    }
  }

  private applyTimeline(tick: number): void {
    for (const e of this.timeline) {
      if (e.tick !== tick) continue;
      if (e.price !== undefined && e.symbol) this.prices.set(e.symbol, e.price);
      if (!e.account) continue;
      const a = this.account(e.account);
      if (e.fail !== undefined) a.failing = e.fail;
      if (e.symbol && (e.size !== undefined || e.sizeDelta !== undefined)) {
        const pos = a.positions.get(e.symbol) ?? { size: 0, entryPrice: this.price(e.symbol) };
        // Keep equity continuous: realise the PnL of the old size at the current mark.
        a.cash += (this.price(e.symbol) - pos.entryPrice) * pos.size;
        pos.entryPrice = this.price(e.symbol);
        pos.size = e.size ?? pos.size + (e.sizeDelta ?? 0);
        a.positions.set(e.symbol, pos);
      }
      if (e.equity !== undefined) a.cash = e.equity - this.upnl(a);
      if (e.available !== undefined) a.used = a.cash + this.upnl(a) - e.available;
    }
  }
}
