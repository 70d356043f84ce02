import type { Logger } from 'pino';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../core/clock.js';
import type { Engine } from '../core/engine.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/types.js';
import type { VenueAdapter } from '../venues/adapter.js';
import { createAdapters } from '../venues/registry.js';
import type { VenueId } from '../core/types.js';
import { commands, type AppCommandContext } from '../../commands/index.js';
import type { Command } from '../present/command.js';
import { buildEngine } from './build-core.js';

export interface App {
  config: AppConfig;
  engine: Engine;
  store: Store;
  commands: readonly Command<AppCommandContext>[];
  ctx: AppCommandContext;
  logger: Logger;
  /** Starts the tick loop (first tick immediately). */
  start(): Promise<void>;
  /** Stops the loop, waits briefly for a running tick, closes venues and the database. */
  stop(): Promise<void>;
}

/** The composition root: every dependency is built here and passed down. */
export function createApp(config: AppConfig, deps: { clock: Clock; logger: Logger }): App {
  const { clock, logger } = deps;
  const store = SqliteStore.open(config.store.path);
  const adapters: Map<VenueId, VenueAdapter> = createAdapters(config, clock, logger);
  const engine = buildEngine({ cfg: config, store, adapters, clock, logger });
  const ctx: AppCommandContext = { now: () => clock.now(), config, engine, commandList: commands };
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const loop = async (): Promise<void> => {
    if (stopped) return;
    try {
      const r = await engine.tick();
      logger.info({ job: 'tick', ...r }, 'tick');
    } catch (err) {
      logger.error({ job: 'tick', err }, 'tick failed');
    }
    if (!stopped) timer = setTimeout(() => void loop(), config.schedule.tickInterval);
  };

  return {
    config, engine, store, commands, ctx, logger,
    async start() {
      logger.info({ accounts: config.accounts.length, venues: [...adapters.keys()], db: config.store.path, config: config.configPath }, 'delta-ops starting');
      await loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.race([engine.whenIdle(), new Promise((r) => setTimeout(r, 1000).unref())]);
      await Promise.allSettled([...adapters.values()].map((a) => a.close()));
      store.close();
      logger.info('database closed; delta-ops stopped');
    },
  };
}
