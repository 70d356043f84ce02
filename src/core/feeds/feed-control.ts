import type { Logger } from '../ports/logger.js';
import { z } from 'zod';
import type { Actor } from '../ports/actor.js';
import type { AuditEntry } from '../ports/alerts.js';
import type { Store } from '../ports/store.js';
import type { AuthorizationPort } from '../alerts/authorization.js';
import type { ActionFailure, ActionResult } from '../alerts/service.js';
import { DeltaOpsError, ErrorCode } from '../errors.js';
import { canonicalSymbol } from '../symbols.js';
import type { FeedManager, FeedPin } from './feed-manager.js';
import type { SymbolFeeds } from './types.js';

/** The `source` that clears an admin's pin and returns the symbol to automatic choice. */
export const AUTO_SOURCE = 'auto';
const PINS_KEY = 'feeds.pins';
const MAX_TEXT = 500;

const pinsSchema = z.record(z.string(), z.object({ source: z.string(), by: z.string(), reason: z.string(), at: z.number() }));

export interface FeedControlDeps {
  manager: FeedManager;
  auth: AuthorizationPort;
  /** The alert side's audit log (one audit log for every admin action) and the kv store for pins. */
  store: Pick<Store, 'audit' | 'kv'>;
  now: () => number;
  logger?: Logger;
}

/**
 * Manual failover: an admin pins a symbol to a source, with a reason, or returns it to automatic choice.
 * Every attempt is checked through the authorization port and written to the audit log, refusals and
 * invalid requests included. Pins are kept in the kv store, so a restart keeps the admin's choice.
 */
export class FeedControl {
  constructor(private readonly deps: FeedControlDeps) {}

  /** At start: the pins an admin set before the restart (or on the replica that led before). */
  async restorePins(): Promise<void> {
    const raw = await this.deps.store.kv.get(PINS_KEY);
    if (!raw) return;
    try {
      const pins = pinsSchema.parse(JSON.parse(raw));
      for (const [symbol, pin] of Object.entries(pins)) this.deps.manager.restorePin(symbol, pin);
    } catch (err) {
      this.deps.logger?.warn({ job: 'feeds', err }, 'stored feed pins unreadable; starting without them');
    }
  }

  /** Every symbol's feeds now (what `/feeds` shows; a manual failover shows at once, before the next tick). */
  status(): SymbolFeeds[] {
    return this.deps.manager.status(this.deps.now());
  }

  async failover(actor: Actor, symbolInput: string, sourceInput: string, reason: string): Promise<ActionResult<SymbolFeeds>> {
    const symbol = canonicalSymbol(symbolInput.slice(0, 32)).symbol;
    const source = sourceInput.trim().toLowerCase().slice(0, 32);
    const text = reason.trim().slice(0, MAX_TEXT);
    const target = `feed:${symbol} ${source}`;
    if (!this.deps.auth.canAdminister(actor)) {
      await this.audit(actor, target, text, 'refused', 'not an admin');
      this.deps.logger?.warn({ job: 'feeds', action: 'failover', symbol, source, actor: actor.id, src: actor.source, code: ErrorCode.PermissionDenied }, 'feed failover refused');
      const error = new DeltaOpsError(ErrorCode.PermissionDenied, 'Permission denied: only admins can fail over price feeds.');
      return { ok: false, reason: 'refused', message: error.message, error };
    }
    const now = this.deps.now();
    const m = this.deps.manager;
    const view = m.view(symbol, now);
    if (!symbol) return this.invalid(actor, target, text, 'Say which symbol to fail over, e.g. symbol:BTC.');
    if (!text) return this.invalid(actor, target, text, 'A failover needs a reason, e.g. reason:"binance marks frozen".');
    if (!view) return this.invalid(actor, target, text, `No price feeds for ${symbol}.`, 'not-found');
    const from = view.active ?? 'none';
    if (source === AUTO_SOURCE) {
      if (!m.pinOf(symbol)) return this.invalid(actor, target, text, `${symbol} already chooses its feed automatically.`);
      m.applyPin(symbol, undefined, now, actor.name);
    } else {
      const feed = view.feeds.find((f) => f.name === source);
      if (!feed) return this.invalid(actor, target, text, `${symbol} has no feed "${source}"; its feeds: ${view.feeds.map((f) => f.name).join(', ')}.`, 'not-found');
      if (feed.state === 'failing') return this.invalid(actor, target, text, `${source} is failing for ${symbol} (${feed.reason}); choose a feed that is not failing.`);
      const pin: FeedPin = { source, by: actor.name, reason: text, at: now };
      m.applyPin(symbol, pin, now);
    }
    await this.deps.store.kv.set(PINS_KEY, JSON.stringify(m.allPins()));
    const after = m.view(symbol, now) ?? view;
    await this.audit(actor, target, text, 'done', `${from} → ${after.active ?? 'none'}`);
    this.deps.logger?.info({ job: 'feeds', action: 'failover', symbol, from, to: after.active, actor: actor.id, src: actor.source }, 'feed failover by hand');
    return { ok: true, value: after };
  }

  /** For a transport that refused before reaching here (its own admin gate): the attempt is still audited. */
  async recordRefusal(actor: Actor, symbol: string, source: string, reason?: string, detail = 'refused by the transport'): Promise<void> {
    await this.audit(actor, `feed:${canonicalSymbol(symbol.slice(0, 32)).symbol} ${source.trim().toLowerCase().slice(0, 32)}`, reason?.trim().slice(0, MAX_TEXT), 'refused', detail);
  }

  private async invalid(actor: Actor, target: string, comment: string, message: string, reason: 'invalid' | 'not-found' = 'invalid'): Promise<ActionFailure> {
    await this.audit(actor, target, comment, 'invalid', message);
    return { ok: false, reason, message };
  }

  private async audit(actor: Actor, target: string, comment: string | undefined, outcome: AuditEntry['outcome'], detail: string): Promise<void> {
    await this.deps.store.audit.append({
      at: this.deps.now(),
      actorId: actor.id,
      actorName: actor.name,
      source: actor.source,
      action: 'failover',
      target,
      ...(comment ? { comment } : {}),
      outcome,
      detail,
    });
  }
}
