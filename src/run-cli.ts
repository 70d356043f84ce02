/**
 * The command line: reads the config, opens the store, builds the app and runs it as asked (the Discord
 * bot, the console, headless, `--once`, deploy-commands, doctor). Loaded by ./main.ts, the entry point.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createApp } from './app/app.js';
import { createLogger } from './app/logger.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { readProcessEnv } from './config/env.js';
import { systemClock } from './core/clock.js';
import { startConsole } from './console/console.js';
import { TextSink } from './console/text-sink.js';
import { runLine } from './console/run-line.js';
import { renderText } from './present/render-text.js';
import type { Actor } from './core/ports/actor.js';
import { StoreError } from './store/store-error.js';
import { openStore } from './store/open-store.js';
import { LeaderElector } from './core/leadership/leader-elector.js';
import { stdinIsAbsent } from './app/headless.js';
import type { HttpServer } from './http/server.js';

const USAGE = `usage: delta-ops [--config FILE] [--once "/command ..." | --headless] [deploy-commands | doctor]
  (DISCORD_TOKEN set) starts the engine and the Discord bot
  (no DISCORD_TOKEN)  starts the engine and the local console (headless when stdin is closed or /dev/null)
  --headless          no console: the engine, alerts to the log and the HTTP server, until SIGTERM
  deploy-commands     registers the slash commands with Discord now and exits
  doctor              checks every account (reachable, credentials, key permissions); exit 1 on a problem
  --once "/status"    runs one command after the first sync, prints it and exits
  --config FILE       config file (default: $DELTA_OPS_CONFIG or config/delta-ops.example.yaml)`;

/**
 * Exit code of a leader that lost its lease to another replica: a supervisor (systemd, Docker) restarts
 * it, and it comes back as a standby. EX_TEMPFAIL from sysexits.h.
 */
const EXIT_DEPOSED = 75;

/** A startup problem the person can fix: one line, exit 1, no stack trace. */
function fail(message: string): never {
  process.stderr.write(`delta-ops: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({ options: { config: { type: 'string' }, once: { type: 'string' }, headless: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = readProcessEnv();
  const config = loadConfig(env, args.values.config);
  const once = args.values.once;
  const deploy = args.positionals[0] === 'deploy-commands';
  // Headless: nobody can type here (a service), so the console would end at once; run until SIGTERM.
  const headless = once === undefined && !deploy && !config.env.DISCORD_TOKEN && (args.values.headless === true || stdinIsAbsent());
  const interactive = once === undefined && !deploy && !config.env.DISCORD_TOKEN && !headless;
  // The console owns the terminal: only warnings and worse reach it unless LOG_LEVEL says otherwise.
  const level = env['LOG_LEVEL'] ? config.env.LOG_LEVEL : interactive || once !== undefined ? 'warn' : 'info';
  const logger = createLogger({ level, secrets: config.secrets, instance: config.instanceId });
  if (args.positionals[0] === 'doctor') {
    // Talks to the venues only: no store, no engine, no Discord.
    const { doctorCli } = await import('./cli/run-doctor.js');
    process.exitCode = await doctorCli(config, { clock: systemClock, logger, write: (text) => void process.stdout.write(text) });
    return;
  }
  const discord = config.env.DISCORD_TOKEN !== undefined && once === undefined && !deploy;
  const shared = config.store.url !== undefined;
  // Every replica serves HTTP when configured (a standby answers the probes, /metrics and the system
  // status); a one-off command and deploy-commands do not.
  const listen = once === undefined && !deploy ? config.http.listen : undefined;

  // A signal while waiting for the database ends the wait; once the app runs, it shuts it down.
  let shutdown: (signal: string, code?: number) => Promise<void> = async (signal) => {
    logger.info({ signal }, 'stopped while waiting for the database');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const opened = await openStore(config, logger);
  // Several replicas on one database: only the leader syncs, alerts, posts and answers Discord.
  const elector =
    opened.lease && once === undefined && !deploy
      ? new LeaderElector({
          lease: opened.lease,
          instance: config.instanceId,
          ttlMs: config.ha.leaseTtl,
          standbyPollMs: config.ha.standbyPoll,
          monotonicNow: () => performance.now(),
          logger,
          onElected: () => lead(),
          onDeposed: () => void shutdown('lost the leader lease', EXIT_DEPOSED),
        })
      : undefined;
  const app = await createApp(config, {
    clock: systemClock,
    logger,
    store: opened.store,
    sinkNames: [discord ? 'discord' : 'console'],
    // A one-off command beside a running leader must not change the alerts it owns.
    readOnly: once !== undefined && shared,
    // Without an HTTP server nothing scrapes /metrics: prom-client is then not loaded at all.
    metrics: listen !== undefined,
    ...(elector ? { fence: () => elector.fence(), leadership: () => elector.status() } : {}),
  });
  const actor: Actor = { id: 'local', name: userInfo().username, source: 'console', isAdmin: true };

  let bot: { stop(): Promise<void> } | undefined;
  let http: HttpServer | undefined;
  let stopping: Promise<void> | undefined;
  shutdown = (signal: string, code = 0): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      const guard = setTimeout(() => process.exit(code), 1800);
      guard.unref();
      // The lease first: a standby takes over at once instead of after the lease expires.
      await elector?.stop();
      await http?.close();
      await bot?.stop();
      await app.stop();
      process.exit(code);
    })();
    return stopping;
  };

  if (once !== undefined) {
    await app.engine.tick();
    const view = await runLine(once, app.commands, app.ctx, actor, logger);
    process.stdout.write(`${renderText(view)}\n`);
    await shutdown('once', view.tone === 'critical' && view.title.startsWith('Error') ? 2 : 0);
    return;
  }
  if (deploy) {
    // discord.js is loaded only where it is used: console, headless and --once runs start without it.
    const { deployCommandsNow } = await import('./discord/deploy-commands.js');
    const r = await deployCommandsNow(app).catch((err: unknown) => fail(`deploy-commands: ${err instanceof Error ? err.message : String(err)}`));
    process.stdout.write(`registered ${r.count} slash commands (${r.scope})\n`);
    await shutdown('deploy-commands');
    return;
  }
  if (listen) {
    // Loaded only when configured: `--once` and the console start without the HTTP stack.
    const { startHttpServer } = await import('./http/server.js');
    http = await startHttpServer(app, {
      listen,
      tokens: { read: config.env.HTTP_READ_TOKEN, admin: config.env.HTTP_ADMIN_TOKEN },
      rateLimit: { requests: config.http.rateLimit.requests, windowMs: config.http.rateLimit.window },
    }).catch(async (err: unknown) => {
      await app.stop();
      return fail(err instanceof Error ? err.message : String(err));
    });
  }

  async function lead(): Promise<void> {
    if (discord) return leadOnDiscord();
    if (headless) {
      // Notifications go to the log (JSON on stderr), where a service's output is collected.
      await app.start([new TextSink((text) => logger.info({ job: 'notification', text }, 'notification'))]);
      logger.info({ http: http?.url ?? 'off' }, 'headless: running until SIGTERM');
      return;
    }
    // Alerts and summaries print as they are dispatched; until the console is up they go to stdout.
    let print = (text: string): void => void process.stdout.write(`${text}\n`);
    await app.start([new TextSink((text) => print(text))]);
    const local = startConsole({ commands: app.commands, ctx: app.ctx, actor, logger, input: process.stdin, output: process.stdout, onClose: () => void shutdown('console closed') });
    print = (text) => local.print(text);
  }

  async function leadOnDiscord(): Promise<void> {
    const [{ createDiscordBot }, { isPermanentDiscordError }] = await Promise.all([import('./discord/start-discord.js'), import('./discord/rest-errors.js')]);
    const connector = createDiscordBot(app, { clock: systemClock, onConnected: () => app.resumeDelivery() });
    bot = connector;
    const cannotConnect = async (err: unknown): Promise<void> => {
      process.stderr.write(`delta-ops: cannot connect to Discord: ${err instanceof Error ? err.message : String(err)}\n`);
      await shutdown('discord failed', 1);
    };
    try {
      await connector.connect();
    } catch (err) {
      if (isPermanentDiscordError(err)) return cannotConnect(err);
      // An outage is no reason to stop paging: the engine runs, notifications wait in the outbox, and
      // the connection is retried; exiting here would only make a supervisor restart us in a loop.
      const reason = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 200);
      logger.warn({ reason: reason(err) }, 'Discord unreachable at start: the engine runs and notifications wait in the outbox; reconnecting');
      app.ops.discordDown(`unreachable at start: ${reason(err)}`);
      connector
        .keepConnecting({ failed: 1, onRetry: (e, attempt, delayMs) => logger.warn({ reason: reason(e), attempt, retryInMs: delayMs }, 'Discord still unreachable') })
        .catch((e: unknown) => (stopping ? undefined : cannotConnect(e)));
    }
    await app.start([connector.sink]);
  }

  if (elector) elector.start();
  else await lead();
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StoreError) fail(err.message);
  process.stderr.write(`delta-ops: fatal: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
