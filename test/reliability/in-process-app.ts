import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createApp, type App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { FakeClock } from '../../src/core/clock.js';
import type { TickResult } from '../../src/core/engine.js';
import type { LeadershipStatus } from '../../src/core/leadership/leader-elector.js';
import { RecordingSink } from '../../src/core/outbox/recording-sink.js';
import type { Actor } from '../../src/core/ports/actor.js';
import { executeCommand } from '../../src/present/execute.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { View } from '../../src/present/view.js';
import { tempDir } from '../helpers/run-cli.js';
import type { LogLine } from '../discord/bot-fixture.js';

export const INPROCESS_FIXTURE = 'test/fixtures/reliability-inprocess.yaml';
export const ADMIN_ACTOR: Actor = { id: 'local', name: 'tester', source: 'console', isAdmin: true };

export interface InProcessApp {
  app: App;
  clock: FakeClock;
  sink: RecordingSink;
  logs: LogLine[];
  dbPath: string;
  /** Moves the clock (default one 15 s tick) and runs a tick (its last stage delivers what is due). */
  tick(advanceMs?: number): Promise<TickResult>;
  /** Runs a command the way a transport does (admin gate, error views). */
  run(name: string, subcommand: string | undefined, options?: Record<string, string | number>, actor?: Actor): Promise<View>;
  close(): Promise<void>;
}

/**
 * The real app (createApp over a SQLite store in a temp dir, the paper venue, alerts, outbox) on a FakeClock, with
 * a recording sink, started: the scheduler's start-up tick has run; further ticks are driven by hand.
 * `patch` edits the fixture's YAML text first (a threshold, a timeline step).
 */
export async function startInProcess(
  opts: {
    config?: string;
    env?: Record<string, string>;
    clock?: FakeClock;
    patch?: (yaml: string) => string;
    /** Several replicas: this instance's role; a standby is built but not started (it does not lead). */
    leadership?: () => LeadershipStatus;
  } = {},
): Promise<InProcessApp> {
  const dir = tempDir('delta-ops-rel-');
  const dbPath = join(dir, 'db.sqlite');
  let configPath = opts.config ?? INPROCESS_FIXTURE;
  if (opts.patch) {
    const patched = opts.patch(readFileSync(configPath, 'utf8'));
    configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, patched);
  }
  const clock = opts.clock ?? new FakeClock(Date.UTC(2026, 2, 2, 12, 0, 0));
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
  const config = loadConfig({ DELTA_OPS_DB: dbPath, ...opts.env }, configPath);
  const store = SqliteStore.open(config.store.path);
  let app: App;
  try {
    app = await createApp(config, { clock, logger, store, sinkNames: ['test'], ...(opts.leadership ? { leadership: opts.leadership } : {}) });
  } catch (err) {
    await store.close();
    throw err;
  }
  const sink = new RecordingSink('test');
  if (opts.leadership?.().role !== 'standby') await app.start([sink]);
  return {
    app,
    clock,
    sink,
    logs,
    dbPath,
    async tick(advanceMs = 15_000) {
      clock.advance(advanceMs);
      return app.engine.tick();
    },
    run(name, subcommand, options = {}, actor = ADMIN_ACTOR) {
      const command = app.commands.find((c) => c.name === name);
      if (!command) throw new Error(`no command ${name}`);
      const input = { options, actor, ...(subcommand ? { subcommand } : {}) };
      return executeCommand(command, app.ctx, input, logger, app.onRefused);
    },
    async close() {
      await app.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
