import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedsCommand, type FeedsCommandCtx } from '../../commands/feeds.js';
import { loadConfig } from '../../src/config/load-config.js';
import { actorFlagAuthorization } from '../../src/core/alerts/authorization.js';
import { FakeClock } from '../../src/core/clock.js';
import { FeedControl, FeedManager } from '../../src/core/feeds/index.js';
import { computeRisk, MemoryRiskHistory } from '../../src/core/risk/index.js';
import type { Snapshot } from '../../src/core/types.js';
import type { Actor } from '../../src/core/ports/actor.js';
import type { CommandInput } from '../../src/present/command.js';
import { executeCommand } from '../../src/present/execute.js';
import { renderText } from '../../src/present/render-text.js';
import type { View } from '../../src/present/view.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { account, pos, snapshot } from '../risk/fixtures.js';
import { down, ok, settings, T0, TICK } from './fixtures.js';

const admin: Actor = { id: 'u1', name: 'alice', source: 'console', isAdmin: true };
const member: Actor = { id: 'u2', name: 'bob', source: 'discord:g/c', isAdmin: false };
const silent = pino({ level: 'silent' });

describe('/feeds', () => {
  let store: SqliteStore;
  let clock: FakeClock;
  let manager: FeedManager;
  let ctx: FeedsCommandCtx;

  beforeEach(async () => {
    store = SqliteStore.open(':memory:');
    clock = new FakeClock(T0);
    // The example config watches BTC and ETH.
    const config = loadConfig({}, 'config/delta-ops.example.yaml');
    manager = new FeedManager({ settings: settings() });
    const feeds = new FeedControl({ manager, auth: actorFlagAuthorization, store, now: () => clock.now() });
    const snap: Snapshot = snapshot([account('a', { equity: 1000, positions: [pos('BTC', 1)] })], { BTC: 60_000 });
    // The risk history read from the store, as the tick loads it before computing risk.
    const history = new MemoryRiskHistory({ metrics: store.metrics, drawdownWindowMs: config.thresholds.drawdown.window, varWindowMs: 86_400_000 });
    await history.preload(['a'], ['BTC'], T0);
    const risk = computeRisk(snap, history, { thresholds: config.thresholds, symbols: config.symbols, overrides: config.overrides }, T0);
    ctx = { now: () => clock.now(), config, engine: { snapshot: () => snap, risk: () => risk }, feeds };
    manager.update(clock.now(), [ok('binance', { BTC: 60_000, ETH: 3000, DOGE: 0.1 }, T0), ok('pacifica', { BTC: 60_010 }, T0, 120)]);
  });
  afterEach(async () => {
    await store.close();
  });

  const run = (options: CommandInput['options'], actor = admin): Promise<View> => executeCommand(feedsCommand, ctx, { options, actor }, silent);
  const tick = (...results: Parameters<FeedManager['update']>[1]): void => {
    clock.advance(TICK);
    manager.update(clock.now(), results);
  };

  it('shows each watched symbol\'s feeds: state, latency, age, errors, the active one and why', async () => {
    tick(down('binance'), ok('pacifica', { BTC: 60_020 }, clock.now() + TICK, 130));
    tick(down('binance'), ok('pacifica', { BTC: 60_030 }, clock.now() + TICK, 140));
    const text = renderText(await run({}));
    expect(text).toContain('[CRITICAL] Price feeds');
    expect(text).toContain('2 symbols · 1 on a backup feed · 1 without a feed · 2 feeds failing');
    expect(text).toContain('Showing the symbols held or configured (2 of 3); add symbol: for any other.');
    expect(text).toContain('BTC: pacifica — failover from binance: binance failing: 2 failed fetches in a row: binance GET /prices timed out after 5000 ms');
    expect(text).toContain('ETH: no feed — every feed failing');
    expect(text).toMatch(/BTC\s+binance\s+60,000\s+failing\s+5000 ms\s+30s ago\s+2\s+2 failed fetches in a row: binance GET \/pri…/);
    expect(text).toMatch(/BTC\s+pacifica\s+60,030\s+healthy\s+140 ms\s+0s ago\s+0\s+active/);
    expect(text).not.toContain('DOGE');
    expect(renderText(await run({ symbol: 'dogeusdt' }))).toMatch(/DOGE\s+binance\s+0\.1\s+failing/);
  });

  it('an admin fails a symbol over with a reason; /feeds then shows the pin; source:auto undoes it', async () => {
    const done = await run({ symbol: 'btc', source: 'pacifica', reason: 'binance marks lag' });
    expect(done).toMatchObject({ title: 'BTC pinned to pacifica', tone: 'ok' });
    expect(done.lines).toEqual(['By alice: binance marks lag', 'Active feed: pacifica. Prices switch at the next tick.', 'Undo with source:auto.']);
    const text = renderText(await run({}));
    expect(text).toContain('BTC: pacifica — manual by alice: binance marks lag');
    expect(text).toMatch(/BTC\s+pacifica\s+60,010\s+healthy\s+120 ms\s+0s ago\s+0\s+active \(pinned\)/);
    expect(text).toMatch(/BTC\s+binance\s+60,000\s+healthy\s+40 ms\s+0s ago\s+0\s+standby/);
    const undo = await run({ symbol: 'BTC', source: 'auto', reason: 'fixed' });
    expect(undo.title).toBe('BTC back on automatic feed choice');
    expect((await store.audit.list()).map((e) => [e.target, e.outcome, e.detail])).toEqual([
      ['feed:BTC auto', 'done', 'pacifica → binance'],
      ['feed:BTC pacifica', 'done', 'binance → pacifica'],
    ]);
  });

  it('refuses a member with an ephemeral 3001 and an audit entry; an admin\'s bad request gets a reason', async () => {
    const refused = await run({ symbol: 'BTC', source: 'pacifica', reason: 'x' }, member);
    expect(refused).toMatchObject({ title: 'Error 3001', ephemeral: true });
    expect(refused.lines?.[0]).toBe('Permission denied: only admins can fail over price feeds.');
    expect((await store.audit.list())[0]).toMatchObject({ actorId: 'u2', outcome: 'refused', target: 'feed:BTC pacifica' });
    expect(manager.prices()['BTC']?.source).toBe('binance');

    const noReason = await run({ symbol: 'BTC', source: 'pacifica' });
    expect(noReason).toMatchObject({ title: 'Not done', ephemeral: true, lines: ['A failover needs a reason, e.g. reason:"binance marks frozen".'] });
  });

  it('without a feed manager, lists the snapshot\'s price per symbol', async () => {
    const { feeds: _unused, ...plain } = ctx;
    const view = await executeCommand(feedsCommand, plain, { options: {}, actor: admin }, silent);
    expect(renderText(view)).toMatch(/BTC\s+test\s+60,000/);
    const noManager = await executeCommand(feedsCommand, plain, { options: { symbol: 'BTC', source: 'binance', reason: 'x' }, actor: admin }, silent);
    expect(noManager.lines).toEqual(['Feed failover is not available here: no feed manager is running.']);
  });
});
