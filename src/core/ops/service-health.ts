/**
 * The health of each part of the running process, as its parts report it: a heartbeat when a part did
 * its job, an error count when it failed. Whether a heartbeat is overdue follows from the injected
 * clock at the time of asking; it is never stored.
 */

/** `store`: the database the tick checks and writes to. The rest are the contract's services. */
export const SERVICE_NAMES = ['sync', 'alerts', 'outbox', 'discord', 'scheduler', 'store', 'http'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * `healthy` / `degraded` / `down`: as last reported, or `down` when the heartbeat is overdue.
 * `idle`: expected on this instance but not doing its job yet (a standby, or before the first tick).
 * `off`: not used by this instance (Discord without a token, the HTTP server when not configured).
 */
export type ServiceStatus = 'healthy' | 'degraded' | 'down' | 'idle' | 'off';
export type ReportedState = 'healthy' | 'degraded' | 'down';

export interface ServiceView {
  name: ServiceName;
  status: ServiceStatus;
  /** Epoch ms of the last heartbeat; null before the first. */
  lastHeartbeat: number | null;
  /** Failures since start. */
  errorCount: number;
  lastError?: { at: number; message: string };
  /** Why it is in this status, in a few words. */
  detail?: string;
}

interface Entry {
  mode: 'off' | 'idle' | 'on';
  /** When the mode last changed: an overdue heartbeat is counted from here before the first beat. */
  since: number;
  /** No heartbeat for longer than this → `down`. None: the service beats only when used (HTTP). */
  staleAfterMs?: number;
  state: ReportedState;
  detail?: string;
  lastBeat?: number;
  errors: number;
  lastError?: { at: number; message: string };
}

const MAX_MESSAGE = 200;

export class ServiceHealth {
  private readonly entries = new Map<ServiceName, Entry>();

  constructor(private readonly now: () => number) {
    for (const name of SERVICE_NAMES) this.entries.set(name, { mode: 'off', since: now(), state: 'healthy', errors: 0 });
  }

  /** Expected on this instance, not running yet (`idle`), or not used at all (`off`). */
  setMode(name: ServiceName, mode: 'off' | 'idle'): void {
    const e = this.entry(name);
    e.mode = mode;
    e.since = this.now();
  }

  /** Running from now; with `staleAfterMs`, a heartbeat older than that makes it `down`. */
  run(name: ServiceName, staleAfterMs?: number): void {
    const e = this.entry(name);
    e.mode = 'on';
    e.since = this.now();
    e.staleAfterMs = staleAfterMs;
  }

  isRunning(name: ServiceName): boolean {
    return this.entry(name).mode === 'on';
  }

  /** The service did its job now, in this state. */
  beat(name: ServiceName, state: ReportedState = 'healthy', detail?: string): void {
    const e = this.entry(name);
    e.lastBeat = this.now();
    e.state = state;
    e.detail = detail;
  }

  /** `count` failures (default 1); `state`, when given, is what the service is in now. */
  error(name: ServiceName, message: string, opts: { count?: number; state?: ReportedState } = {}): void {
    const e = this.entry(name);
    e.errors += opts.count ?? 1;
    e.lastError = { at: this.now(), message: message.slice(0, MAX_MESSAGE) };
    if (opts.state) {
      e.state = opts.state;
      e.detail = e.lastError.message;
    }
  }

  view(name: ServiceName): ServiceView {
    const e = this.entry(name);
    const v: ServiceView = { name, status: this.statusOf(e), lastHeartbeat: e.lastBeat ?? null, errorCount: e.errors };
    if (e.lastError) v.lastError = { ...e.lastError };
    const detail = this.detailOf(e, v.status);
    if (detail) v.detail = detail;
    return v;
  }

  all(): ServiceView[] {
    return SERVICE_NAMES.map((n) => this.view(n));
  }

  private statusOf(e: Entry): ServiceStatus {
    if (e.mode === 'off') return 'off';
    if (this.overdue(e) !== undefined) return 'down';
    // Not started, yet it reported (a one-off `--once` tick): what it reported is what it is.
    if (e.lastBeat === undefined && e.lastError === undefined) return 'idle';
    return e.state;
  }

  private detailOf(e: Entry, status: ServiceStatus): string | undefined {
    const overdue = status === 'down' ? this.overdue(e) : undefined;
    if (overdue !== undefined) return `no heartbeat for ${Math.round(overdue / 1000)}s`;
    if (status === 'idle' && e.mode === 'on') return 'starting';
    return status === 'off' || status === 'idle' ? undefined : e.detail;
  }

  /** How long past due the heartbeat is, or undefined (a clock that went back is never overdue). */
  private overdue(e: Entry): number | undefined {
    if (e.mode !== 'on' || e.staleAfterMs === undefined) return undefined;
    const age = this.now() - (e.lastBeat ?? e.since);
    return age > e.staleAfterMs ? age : undefined;
  }

  private entry(name: ServiceName): Entry {
    return this.entries.get(name)!;
  }
}
