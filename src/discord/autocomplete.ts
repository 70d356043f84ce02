import type { AlertListItem } from '../core/alerts/service.js';
import { canonicalSymbol } from '../core/symbols.js';
import type { Snapshot } from '../core/types.js';
import type { CommandOption } from '../present/command.js';
import { plainLine } from './escape.js';
import { LIMITS, truncate } from './limits.js';

export interface Choice {
  name: string;
  value: string;
}

/** Where suggestions come from: data already in memory or in the local store, never a venue. */
export interface SuggestionSources {
  snapshot(): Snapshot | undefined;
  /** Configured account ids, used before the first snapshot exists. */
  accountIds: readonly string[];
  activeAlerts?(): Promise<readonly Pick<AlertListItem, 'shortId' | 'severity' | 'type' | 'account' | 'symbol' | 'summary'>[]>;
}

type Kind = NonNullable<CommandOption['autocomplete']>;

/** Prefix matches first, then substring matches; case-insensitive; at most 25. */
function rank(candidates: readonly Choice[], typed: string): Choice[] {
  const q = typed.trim().toLowerCase();
  const prefix: Choice[] = [];
  const inner: Choice[] = [];
  for (const c of candidates) {
    const hay = `${c.value} ${c.name}`.toLowerCase();
    if (!q || c.value.toLowerCase().startsWith(q) || c.name.toLowerCase().startsWith(q)) prefix.push(c);
    else if (hay.includes(q)) inner.push(c);
  }
  return [...prefix, ...inner].slice(0, LIMITS.autocompleteChoices);
}

function symbolsOf(s: Snapshot): string[] {
  const set = new Set(Object.keys(s.prices));
  for (const a of s.accounts) for (const p of a.state?.positions ?? []) set.add(p.symbol);
  return [...set].sort();
}

/**
 * Feed sources for `/feeds source:`: those of the symbol already typed in `symbol:` (with their state),
 * or every source any symbol has, then `auto` (back to automatic choice).
 */
function feedChoices(snap: Snapshot | undefined, siblings: Readonly<Record<string, unknown>>): Choice[] {
  const typed = typeof siblings['symbol'] === 'string' ? siblings['symbol'].trim().toUpperCase() : '';
  const feeds = snap?.feeds ?? [];
  const mine = typed ? feeds.find((f) => f.symbol === typed || f.symbol === canonicalSymbol(typed).symbol) : undefined;
  const out: Choice[] = mine
    ? mine.feeds.map((x) => ({ name: `${x.name} — ${x.state}${mine.active === x.name ? ', active' : ''}`, value: x.name }))
    : [...new Set(feeds.flatMap((f) => f.feeds.map((x) => x.name)))].sort().map((name) => ({ name, value: name }));
  return [...out, { name: 'auto — back to automatic choice', value: 'auto' }];
}

async function candidates(kind: Kind, src: SuggestionSources, siblings: Readonly<Record<string, unknown>>): Promise<Choice[]> {
  const snap = src.snapshot();
  switch (kind) {
    case 'account':
      return snap
        ? snap.accounts.map((a) => ({ name: a.label && a.label !== a.id ? `${a.id} — ${a.label} (${a.venue})` : `${a.id} (${a.venue})`, value: a.id }))
        : src.accountIds.map((id) => ({ name: id, value: id }));
    case 'symbol':
      return snap ? symbolsOf(snap).map((s) => ({ name: s, value: s })) : [];
    case 'feed':
      return feedChoices(snap, siblings);
    case 'alert':
      return ((await src.activeAlerts?.()) ?? []).map((a) => ({
        name: `${a.shortId} ${a.severity} ${a.type}${a.account ? ` · ${a.account}` : ''}${a.symbol ? ` · ${a.symbol}` : ''} — ${a.summary}`,
        value: a.shortId,
      }));
  }
}

/**
 * Choices for an autocomplete request: ≤ 25, names and values within Discord's 100 characters.
 * `siblings` are the other options already filled in (the feed list depends on `symbol:`).
 */
export async function suggest(kind: Kind, typed: string, src: SuggestionSources, siblings: Readonly<Record<string, unknown>> = {}): Promise<Choice[]> {
  return rank(await candidates(kind, src, siblings), typed).map((c) => ({ name: truncate(plainLine(c.name), LIMITS.choiceName) || c.value, value: c.value.slice(0, LIMITS.choiceValue) }));
}
