import { afterEach, describe, expect, it } from 'vitest';
import { actorFlagAuthorization } from '../../src/core/alerts/authorization.js';
import { FakeClock } from '../../src/core/clock.js';
import { ErrorCode } from '../../src/core/errors.js';
import { FeedControl } from '../../src/core/feeds/feed-control.js';
import { FeedManager } from '../../src/core/feeds/feed-manager.js';
import type { Actor } from '../../src/core/ports/actor.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { down, ok, settings, T0, TICK } from './fixtures.js';

const admin: Actor = { id: 'u1', name: 'alice', source: 'discord:g/c', isAdmin: true };
const member: Actor = { id: 'u2', name: 'bob', source: 'discord:g/c', isAdmin: false };

describe('FeedControl: manual failover', () => {
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  async function setup(store = SqliteStore.open(':memory:')) {
    stores.push(store);
    const clock = new FakeClock(T0);
    const manager = new FeedManager({ settings: settings({ recoverTicks: 2 }) });
    const control = new FeedControl({ manager, auth: actorFlagAuthorization, store, now: () => clock.now() });
    // At start, as the app does: the pins stored before a restart.
    await control.restorePins();
    manager.update(clock.now(), [ok('binance', { BTC: 60_000 }, T0), ok('pacifica', { BTC: 60_010 }, T0)]);
    return { store, clock, manager, control };
  }

  it('an admin pins a symbol to a feed with a reason: the choice applies at once, is audited, and holds over failback', async () => {
    const { store, clock, manager, control } = await setup();
    const r = await control.failover(admin, 'btcusdt', 'Pacifica', '  binance marks lag the index  ');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ symbol: 'BTC', primary: 'pacifica', active: 'pacifica', activeReason: 'manual by alice: binance marks lag the index' });
    expect(r.value.pinned).toEqual({ source: 'pacifica', by: 'alice', reason: 'binance marks lag the index', at: T0 });
    expect(manager.prices()['BTC']).toMatchObject({ source: 'pacifica', mark: 60_010 });
    expect(manager.events().at(-1)).toEqual({ at: T0, symbol: 'BTC', kind: 'manual', from: 'binance', to: 'pacifica', reason: 'binance marks lag the index', actor: 'alice' });
    expect(await store.audit.list()).toEqual([
      expect.objectContaining({ action: 'failover', actorId: 'u1', actorName: 'alice', source: 'discord:g/c', target: 'feed:BTC pacifica', comment: 'binance marks lag the index', outcome: 'done', detail: 'binance → pacifica' }),
    ]);
    // Both healthy for many ticks: the pin is the primary, so no failback to binance.
    for (let i = 0; i < 4; i++) {
      clock.advance(TICK);
      expect(manager.update(clock.now(), [ok('binance', { BTC: 1 }, clock.now()), ok('pacifica', { BTC: 2 }, clock.now())]).prices['BTC']?.source).toBe('pacifica');
    }
  });

  it('a pinned feed that fails is failed over automatically, and the symbol returns to it once it recovers', async () => {
    const { clock, manager, control } = await setup();
    await control.failover(admin, 'BTC', 'pacifica', 'test');
    for (let i = 0; i < 2; i++) {
      clock.advance(TICK);
      manager.update(clock.now(), [ok('binance', { BTC: 1 }, clock.now()), down('pacifica')]);
    }
    expect(manager.view('BTC', clock.now())).toMatchObject({ primary: 'pacifica', active: 'binance' });
    for (let i = 0; i < 2; i++) {
      clock.advance(TICK);
      manager.update(clock.now(), [ok('binance', { BTC: 1 }, clock.now()), ok('pacifica', { BTC: 2 }, clock.now())]);
    }
    expect(manager.view('BTC', clock.now())).toMatchObject({ active: 'pacifica', activeReason: 'manual by alice: test' });
  });

  it('source auto clears the pin and picks the first feed by preference', async () => {
    const { store, manager, control } = await setup();
    await control.failover(admin, 'BTC', 'pacifica', 'try it');
    const r = await control.failover(admin, 'BTC', 'auto', 'done trying');
    expect(r.ok && r.value).toMatchObject({ primary: 'binance', active: 'binance', activeReason: 'primary' });
    expect(r.ok && r.value.pinned).toBeUndefined();
    expect(manager.events().at(-1)).toMatchObject({ kind: 'auto', from: 'pacifica', to: 'binance', actor: 'alice' });
    expect((await store.audit.list())[0]).toMatchObject({ target: 'feed:BTC auto', outcome: 'done', detail: 'pacifica → binance' });
  });

  it('refuses a non-admin with 3001 and audits the refusal', async () => {
    const { store, manager, control } = await setup();
    const r = await control.failover(member, 'BTC', 'pacifica', 'I think so');
    expect(r).toMatchObject({ ok: false, reason: 'refused', message: 'Permission denied: only admins can fail over price feeds.' });
    expect(!r.ok && r.reason === 'refused' && r.error.code).toBe(ErrorCode.PermissionDenied);
    expect(manager.prices()['BTC']?.source).toBe('binance');
    expect((await store.audit.list())[0]).toMatchObject({ actorId: 'u2', action: 'failover', target: 'feed:BTC pacifica', outcome: 'refused', detail: 'not an admin', comment: 'I think so' });
  });

  it('rejects (and audits) a missing reason, an unknown symbol or feed, a failing feed, and auto without a pin', async () => {
    const { store, clock, manager, control } = await setup();
    clock.advance(TICK);
    manager.update(clock.now(), [ok('binance', { BTC: 1 }, clock.now()), down('pacifica')]);
    clock.advance(TICK);
    manager.update(clock.now(), [ok('binance', { BTC: 1 }, clock.now()), down('pacifica')]);
    const cases: [string, string, string, string][] = [
      ['BTC', 'pacifica', ' ', 'A failover needs a reason, e.g. reason:"binance marks frozen".'],
      [' ', 'pacifica', 'x', 'Say which symbol to fail over, e.g. symbol:BTC.'],
      ['DOGE', 'binance', 'x', 'No price feeds for DOGE.'],
      ['BTC', 'aster', 'x', 'BTC has no feed "aster"; its feeds: binance, pacifica.'],
      ['BTC', 'pacifica', 'x', 'pacifica is failing for BTC (2 failed fetches in a row: pacifica GET /prices timed out after 5000 ms); choose a feed that is not failing.'],
      ['BTC', 'auto', 'x', 'BTC already chooses its feed automatically.'],
    ];
    for (const [symbol, source, reason, message] of cases) {
      const r = await control.failover(admin, symbol, source, reason);
      expect(r).toMatchObject({ ok: false, message });
    }
    expect((await store.audit.list()).map((e) => e.outcome)).toEqual(Array(cases.length).fill('invalid'));
    expect(manager.prices()['BTC']?.source).toBe('binance');
  });

  it('keeps pins in the store, so a restart starts with the admin\'s choice', async () => {
    const first = await setup();
    await first.control.failover(admin, 'BTC', 'pacifica', 'keep me');
    const again = await setup(first.store);
    expect(again.manager.view('BTC', T0)).toMatchObject({ primary: 'pacifica', active: 'pacifica', activeReason: 'manual by alice: keep me' });
  });

  it('records a refusal made by the transport', async () => {
    const { store, control } = await setup();
    await control.recordRefusal(member, 'eth', 'binance', 'why not');
    expect((await store.audit.list())[0]).toMatchObject({ action: 'failover', target: 'feed:ETH binance', outcome: 'refused', comment: 'why not', detail: 'refused by the transport' });
  });
});
