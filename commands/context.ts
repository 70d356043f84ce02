import type { AppConfig } from '../src/config/load-config.js';
import type { LeadershipStatus } from '../src/core/leadership/leader-elector.js';
import type { SystemStatus } from '../src/core/ops/system-status.js';
import { DeltaOpsError, ErrorCode } from '../src/core/errors.js';
import type { RiskReport } from '../src/core/risk/types.js';
import type { Snapshot } from '../src/core/types.js';
import { resolveSymbolLimits, type SymbolLimits } from '../src/core/thresholds/resolve.js';

/** What the engine exposes to commands: the latest data, never a venue call. */
export interface EngineView {
  snapshot(): Snapshot | undefined;
  risk(): RiskReport | undefined;
}

/** Everything a core command handler may use. Transports add nothing to it. */
export interface CoreContext {
  now(): number;
  config: AppConfig;
  engine: EngineView;
  /** Several replicas: this instance's role and the leader (absent with one process on SQLite). */
  leadership?: () => LeadershipStatus;
  /** The process itself: uptime, services, performance, open alerts, feeds off primary (src/core/ops). */
  system?: () => Promise<SystemStatus>;
}

/** The latest snapshot and risk report, or a user-safe 1005 when the first sync has not finished. */
export function requireData(ctx: CoreContext): { snapshot: Snapshot; risk: RiskReport } {
  const snapshot = ctx.engine.snapshot();
  const risk = ctx.engine.risk();
  if (!snapshot || !risk) throw new DeltaOpsError(ErrorCode.MarketDataUnavailable, 'No data yet: the first sync has not finished. Try again in a few seconds.');
  return { snapshot, risk };
}

/** A symbol's target, deviation limits and slippage: its `symbols.<sym>` entry, else the core's defaults. */
export function symbolLimits(config: AppConfig): (symbol: string) => SymbolLimits {
  return (symbol) => resolveSymbolLimits(config.symbols, symbol);
}

/** Resolves an account option to a configured id, case-insensitively, or throws 1001. */
export function resolveAccount(config: AppConfig, input: string): string {
  const found = config.accounts.find((a) => a.id.toLowerCase() === input.trim().toLowerCase());
  if (!found) throw new DeltaOpsError(ErrorCode.InvalidAccount, `Unknown account "${input.slice(0, 64)}". Use /status to see the configured accounts.`);
  return found.id;
}
