import type { Logger } from './ports/logger.js';
import type { RiskReport } from './risk/types.js';
import type { Snapshot } from './types.js';

/** A stage that runs after sync + risk in every tick (alerts evaluate, persist metrics, dispatch …). */
export type TickStage = (snapshot: Snapshot, risk: RiskReport) => Promise<void> | void;

export interface EngineDeps {
  sync: (prev: Snapshot | undefined, seq: number) => Promise<Snapshot>;
  /** Async: it may first load history from the store (and keeps working when that fails). */
  computeRisk: (snapshot: Snapshot) => Promise<RiskReport>;
  stages: readonly { name: string; run: TickStage }[];
  now: () => number;
  logger: Logger;
  /** Told how every tick ended (the ops model: service health, tick metrics, the dead-man's switch). */
  onTick?: (outcome: TickOutcome) => void;
}

export interface TickResult {
  seq: number;
  ms: number;
  accounts: number;
  failed: number;
  /** Stages that threw (each is logged; the others still ran). */
  failedStages: string[];
}

/** How a tick ended: its result and each stage's outcome, or the error that stopped it (sync, risk). */
export type TickOutcome =
  | { ok: true; result: TickResult; snapshot: Snapshot; stages: readonly { name: string; ok: boolean; error?: unknown }[] }
  | { ok: false; ms: number; error: unknown };

/**
 * Holds the latest snapshot and risk report and runs the tick. Commands read from here only: they never
 * wait on a venue. Ticks never overlap: a tick requested while one runs joins the running one.
 */
export class Engine {
  private current: { snapshot: Snapshot; risk: RiskReport } | undefined;
  private seq = 0;
  private running: Promise<TickResult> | undefined;

  constructor(private readonly deps: EngineDeps) {}

  snapshot(): Snapshot | undefined {
    return this.current?.snapshot;
  }

  risk(): RiskReport | undefined {
    return this.current?.risk;
  }

  /** Resolves when no tick is running (never starts one). */
  async whenIdle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  tick(): Promise<TickResult> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runTick(): Promise<TickResult> {
    const started = this.deps.now();
    try {
      return await this.stagesOf(started);
    } catch (error) {
      this.report({ ok: false, ms: this.deps.now() - started, error });
      throw error;
    }
  }

  private async stagesOf(started: number): Promise<TickResult> {
    const seq = ++this.seq;
    const snapshot = await this.deps.sync(this.current?.snapshot, seq);
    const risk = await this.deps.computeRisk(snapshot);
    this.current = { snapshot, risk };
    const stages: { name: string; ok: boolean; error?: unknown }[] = [];
    for (const stage of this.deps.stages) {
      try {
        await stage.run(snapshot, risk);
        stages.push({ name: stage.name, ok: true });
      } catch (err) {
        // One failing stage (say, the outbox) must not stop the others (say, persisting metrics).
        this.deps.logger.error({ job: 'tick', seq, stage: stage.name, err }, 'tick stage failed');
        stages.push({ name: stage.name, ok: false, error: err });
      }
    }
    const failed = snapshot.accounts.filter((a) => a.status !== 'ok').length;
    const failedStages = stages.filter((s) => !s.ok).map((s) => s.name);
    const result: TickResult = { seq, ms: this.deps.now() - started, accounts: snapshot.accounts.length, failed, failedStages };
    this.deps.logger.debug({ job: 'tick', ...result }, 'tick done');
    this.report({ ok: true, result, snapshot, stages });
    return result;
  }

  /** An observer that throws must not turn a finished tick into a failed one. */
  private report(outcome: TickOutcome): void {
    try {
      this.deps.onTick?.(outcome);
    } catch (err) {
      this.deps.logger.error({ job: 'tick', err }, 'tick observer failed');
    }
  }
}
