import type { TickOutcome } from '../engine.js';
import type { Logger } from '../ports/logger.js';

/**
 * A healthy tick: it finished, no stage failed, and the sync reached at least one account. Only such a
 * tick pings the dead-man's switch, so the desk hears when ticks stop *or* stop working.
 */
export function isHealthyTick(outcome: TickOutcome): boolean {
  if (!outcome.ok) return false;
  const r = outcome.result;
  return r.failedStages.length === 0 && !(r.accounts > 0 && r.failed === r.accounts);
}

export interface DeadMansSwitchDeps {
  /** Requests the heartbeat URL; rejects when it was not accepted. */
  ping: () => Promise<void>;
  logger: Logger;
  /** Told of each ping's outcome (metrics). */
  onResult?: (ok: boolean) => void;
}

/**
 * The dead-man's switch (healthchecks.io, Cronitor): a request after every healthy tick. The monitor
 * alerts when pings stop, which covers a dead process, a wedged scheduler and a tick that keeps failing.
 * Pings never overlap: a tick that ends while the previous ping is still out sends none (the next does).
 */
export class DeadMansSwitch {
  private inFlight: Promise<void> | undefined;
  private failing = false;

  constructor(private readonly deps: DeadMansSwitchDeps) {}

  afterTick(outcome: TickOutcome): void {
    if (!isHealthyTick(outcome) || this.inFlight) return;
    this.inFlight = this.deps
      .ping()
      .then(
        () => {
          if (this.failing) this.deps.logger.info({ job: 'heartbeat' }, 'heartbeat accepted again');
          this.failing = false;
          this.deps.onResult?.(true);
        },
        (err: unknown) => {
          // Once per outage at warn; the monitor itself is what pages.
          const fields = { job: 'heartbeat', reason: err instanceof Error ? err.message : String(err) };
          if (this.failing) this.deps.logger.debug(fields, 'heartbeat ping failed');
          else this.deps.logger.warn(fields, 'heartbeat ping failed');
          this.failing = true;
          this.deps.onResult?.(false);
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
  }

  /** Resolves when no ping is out (stop, tests). */
  async whenIdle(): Promise<void> {
    await this.inFlight;
  }
}
