import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/store/sqlite/driver.js';
import { until } from '../reliability/wait.js';
import { startInProcess, type InProcessApp } from '../reliability/in-process-app.js';
import { SCENARIO } from './http-fixture.js';

/*
 * The dead-man's switch against a loopback receiver (what healthchecks.io or Cronitor would be): the real
 * app on the scenario book, ticks by hand. Tick 1 (start) and 2 are healthy; at tick 3 every account's
 * sync fails; tick 4 is healthy again; at tick 5 the database is locked by another writer, so a stage
 * (persist-metrics) fails; tick 6 is healthy.
 */
let receiver: Server;
const pings: { method: string; url: string; seq: number }[] = [];
let t: InProcessApp;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    pings.push({ method: req.method ?? '', url: req.url ?? '', seq: t?.app.engine.snapshot()?.seq ?? 1 });
    res.end('OK');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ping/5f3c9a`;
  const fail = (tick: number, on: boolean): string => ['acc-1', 'acc-2', 'acc-3'].map((a) => `{ tick: ${tick}, account: ${a}, fail: ${on} }`).join(', ');
  t = await startInProcess({
    config: SCENARIO,
    patch: (y) =>
      `${y.replace('tickInterval: 1s', 'tickInterval: 6h').replace('    seed: 1\n', `    seed: 1\n    timeline: [${fail(3, true)}, ${fail(4, false)}]\n`)}heartbeat: { url: "${url}", timeout: 2s }\n`,
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

/**
 * Pings answered, as the app counted them. A ping still out when the next tick ends suppresses that
 * tick's (they never overlap), so each step waits for the previous answer first.
 */
async function answered(n: number): Promise<void> {
  let count = 0;
  await until(`${n} pings answered`, () => count === n, 15_000, async () => {
    count = Number(/^delta_ops_heartbeat_pings_total\{outcome="ok"\} (\d+)$/m.exec(await t.app.metrics.render())?.[1] ?? 0);
  });
}

/** Pings arrive right after a tick ends; nothing more arriving within this is taken as "no ping". */
const SETTLE_MS = 300;
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, SETTLE_MS));

describe('heartbeat (dead-man\'s switch)', () => {
  it('is requested (GET, the configured URL) after each healthy tick and not after a failed one', async () => {
    await answered(1);
    expect(pings).toHaveLength(1);
    expect(pings[0]).toEqual({ method: 'GET', url: '/ping/5f3c9a', seq: 1 });

    await t.tick();
    await answered(2);
    expect(pings).toHaveLength(2);

    const allFailed = await t.tick();
    expect(allFailed).toMatchObject({ seq: 3, accounts: 3, failed: 3, failedStages: [] });
    await settle();
    expect(pings).toHaveLength(2);

    const recovered = await t.tick();
    expect(recovered).toMatchObject({ seq: 4, failed: 0, failedStages: [] });
    await answered(3);
    expect(pings).toHaveLength(3);

    const other = openSqlite(t.dbPath);
    try {
      other.exec('BEGIN EXCLUSIVE');
      other.exec("INSERT INTO kv (key, value) VALUES ('other-writer', 'x')");
      const locked = await t.tick();
      expect(locked.seq).toBe(5);
      expect(locked.failed).toBe(0);
      expect(locked.failedStages).toContain('persist-metrics');
      await settle();
      expect(pings).toHaveLength(3);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }

    await t.tick();
    await answered(4);
    expect(pings.map((p) => p.seq)).toEqual([1, 2, 4, 6]);
  });
});
