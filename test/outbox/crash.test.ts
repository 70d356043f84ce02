import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { RecordingServer } from '../fixtures/outbox-crash/recording-server.js';

const WORKER = join(import.meta.dirname, '../fixtures/outbox-crash/worker.ts');
const N = 25;

interface Worker {
  child: ChildProcess;
  events: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(db: string, url: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, db, url, String(N)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Record<string, unknown>[] = [];
  let buf = '';
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      events.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
      buf = buf.slice(i + 1);
    }
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code) process.stderr.write(stderr);
      resolve({ code, signal });
    }),
  );
  return { child, events, exited };
}

/** Waits for a condition driven by the other process; the generous limit only guards against a hang. */
async function until(what: string, cond: () => boolean, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

test('sink down, alerts fire, SIGKILL mid-send, restart with the sink healthy: every alert delivered exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-crash-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'delta-ops.sqlite');
  const server = new RecordingServer();
  const url = await server.start();
  cleanups.push(() => server.stop());

  // 1. The sink fails: the alerts fire and are stored, deliveries are retried.
  server.mode = 'fail';
  const first = startWorker(db, url);
  cleanups.push(() => void first.child.kill('SIGKILL'));
  await until('the first evaluation', () => first.events.some((e) => e['event'] === 'evaluated'));
  expect(first.events.find((e) => e['event'] === 'evaluated')).toMatchObject({ created: N, notified: N, rows: Math.ceil(N / 10) });
  await until('three failed deliveries', () => server.failures >= 3);

  // 2. The sink takes the next post but the process dies before it hears back.
  server.mode = 'accept-then-hang';
  await until('a post in flight', () => server.hanging === 1);
  first.child.kill('SIGKILL');
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(server.accepted).toHaveLength(1);

  // 3. Restart with the sink healthy.
  server.mode = 'ok';
  const second = startWorker(db, url);
  cleanups.push(() => void second.child.kill('SIGKILL'));
  expect(await second.exited).toEqual({ code: 0, signal: null });
  expect(second.events[0]).toMatchObject({ event: 'started', pending: Math.ceil(N / 10) });
  expect(second.events.filter((e) => e['event'] === 'evaluated')).toEqual([]); // nothing raised twice

  // Every alert exactly once; the post that was in flight was re-sent with its nonce and deduplicated.
  const ids = server.accepted.flatMap((m) => m.alertIds);
  expect(server.accepted).toHaveLength(Math.ceil(N / 10));
  expect(ids).toHaveLength(N);
  expect(new Set(ids).size).toBe(N);
  expect(server.duplicates).toBe(1);
  expect(server.edits).toHaveLength(0);

  const store = SqliteStore.open(db);
  cleanups.push(() => store.close());
  expect(await store.outbox.counts()).toEqual({ pending: 0, sent: Math.ceil(N / 10), dead: 0, superseded: 0 });
  expect((await store.outbox.list()).map((r) => r.sentRef)).toEqual(server.accepted.map((m) => m.id));
  const alerts = await store.alerts.active();
  expect(alerts).toHaveLength(N);
  expect(alerts.every((a) => a.state === 'firing' && a.firstNotifiedAt !== undefined)).toBe(true);
}, 30_000);
