import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { FakeClock } from '../../src/core/clock.js';
import { RecordingSink } from '../../src/core/outbox/recording-sink.js';
import { executeCommand } from '../../src/present/execute.js';
import { PostgresStore } from '../../src/store/postgres/pg-store.js';
import type { LogLine } from '../discord/bot-fixture.js';
import { freshDatabase, type FreshDatabase } from '../helpers/postgres/fresh-database.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { ADMIN_ACTOR, INPROCESS_FIXTURE } from '../reliability/in-process-app.js';

/**
 * PostgreSQL unreachable for a while under a running leader (the real app on a real server, through a
 * loopback proxy that the test cuts): the tick goes on from memory and logs the stages that failed,
 * commands answer from the in-memory view, and the alert raised during the outage is delivered once the
 * database is back — not lost, not doubled.
 */
describe('the database unreachable while the app runs', () => {
  let db: FreshDatabase;
  let proxy: TcpProxy;
  let app: App;
  const logs: LogLine[] = [];
  const clock = new FakeClock(Date.UTC(2026, 2, 2, 12, 0, 0));
  const sink = new RecordingSink('test');

  beforeAll(async () => {
    db = await freshDatabase();
    proxy = await startTcpProxy(Number(new URL(db.url).port));
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const config = loadConfig({ DATABASE_URL: url.toString(), INSTANCE_ID: 'outage-test' }, INPROCESS_FIXTURE);
    const logger = pino({ level: 'debug' }, { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
    const store = await PostgresStore.open(config.store.url!, { logger });
    app = await createApp(config, { clock, logger, store, sinkNames: ['test'] });
    await app.start([sink]);
  });
  afterAll(async () => {
    proxy?.heal();
    await app?.stop();
    await proxy?.close();
    await db?.drop();
  });

  const tick = async (): Promise<void> => {
    clock.advance(15_000);
    await app.engine.tick();
  };
  const status = () => executeCommand(app.commands.find((c) => c.name === 'status')!, app.ctx, { options: {}, actor: ADMIN_ACTOR }, pino({ level: 'silent' }));
  const posted = (): string[] => sink.postedAlerts().map((a) => `${a.type}:${a.account ?? a.symbol ?? ''}`);

  it('keeps the view, logs the failed stages, and delivers what was raised meanwhile', async () => {
    await tick(); // tick 2: the BTC delta alert, stored and posted
    expect(posted()).toEqual(['delta:BTC']);

    proxy.cut();
    await tick(); // tick 3: acc-4's utilization alert, raised while the database is unreachable
    expect(app.engine.snapshot()?.seq).toBe(3);
    const failed = logs.filter((l) => l.msg === 'tick stage failed').map((l) => l['stage']);
    expect(failed).toEqual(expect.arrayContaining(['store-check', 'persist-metrics', 'alerts']));
    expect(logs.some((l) => l.msg === 'alerts not stored (store unreachable?): kept in memory, applied when it answers')).toBe(true);
    // Commands answer from memory: the sync of tick 3 is shown.
    const view = await status();
    expect(view.title).toBe('delta-ops status');
    expect(view.lines?.[0]).toMatch(/^Last sync #3 /);
    expect(posted()).toEqual(['delta:BTC']);

    proxy.heal();
    await tick(); // tick 4: tick 3's evaluation is applied first, at its own time, then the ETH alert
    await app.dispatchNow();
    expect(posted().sort()).toEqual(['delta:BTC', 'delta:ETH', 'utilization:acc-4']);
    expect(sink.duplicates).toBe(0);
    const acc4 = (await app.alerts.list({ state: 'all' })).find((a) => a.account === 'acc-4');
    // Raised at tick 3's time, not at the time the database came back.
    expect(acc4?.startsAt).toBe(Date.UTC(2026, 2, 2, 12, 0, 0) + 2 * 15_000);
    expect(await app.store.outbox.counts()).toMatchObject({ pending: 0, dead: 0, sent: 3 });
  }, 120_000);
});
