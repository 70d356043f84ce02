import type { Logger } from 'pino';
import { secretScrubber } from '../app/logger.js';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../core/clock.js';
import { createAdapters } from '../venues/registry.js';
import { runDoctor } from './doctor.js';
import { renderDoctor } from './doctor-report.js';

/**
 * `delta-ops doctor`: checks every configured account with the real adapters, prints the report and
 * returns the exit code: 1 when any account is unreachable, unreadable, or holds a key that can trade
 * or withdraw; 0 otherwise. Secrets never reach the output.
 */
export async function doctorCli(config: AppConfig, deps: { clock: Clock; logger: Logger; write: (text: string) => void }): Promise<number> {
  const adapters = await createAdapters(config, deps.clock, deps.logger);
  try {
    const report = await runDoctor({ config, adapters, now: () => deps.clock.now() });
    deps.write(`${renderDoctor(report, { configPath: config.configPath, scrub: secretScrubber(config.secrets) })}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await Promise.allSettled([...adapters.values()].map((a) => a.close()));
  }
}
