import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLine } from '../../src/console/run-line.js';
import { renderView } from '../../src/discord/render-view.js';
import type { Actor } from '../../src/core/ports/actor.js';
import type { Command, CommandOption, OptionValue } from '../../src/present/command.js';
import { executeCommand } from '../../src/present/execute.js';
import { renderText } from '../../src/present/render-text.js';
import type { View } from '../../src/present/view.js';
import { limitViolations, visibleText } from '../discord/limits-check.js';
import { startInProcess, type InProcessApp } from '../reliability/in-process-app.js';
import { nastyNumber, NASTY_NUMBER_TEXT, nastyString, Prng } from './prng.js';

/*
 * Every command, with random option values (hostile unicode, 10k-character strings, edge numbers,
 * mentions, markdown and code-block breakers), through the console parser and through executeCommand
 * the way Discord delivers options; every answer rendered for Discord. Properties: nothing throws;
 * every answer is a View; an error view carries a code and a message; no input reaches the "internal
 * error" path (500); every rendered message fits Discord's limits and pings nobody.
 */
const SEED = 20260602;
const SCENARIO = 'test/fixtures/discord-scenario.yaml';

let t: InProcessApp;
beforeAll(async () => {
  t = await startInProcess({ config: SCENARIO });
});
afterAll(async () => {
  await t?.close();
});

type AnyCommand = Command<unknown>;
const commandList = (): readonly AnyCommand[] => t.app.commands as readonly AnyCommand[];

/** What every answer must satisfy; returns the problems (empty when fine). */
function problems(view: unknown): string[] {
  const out: string[] = [];
  if (!view || typeof view !== 'object' || typeof (view as View).title !== 'string') return ['not a View'];
  const v = view as View;
  if (v.title.startsWith('Error')) {
    if (!/^Error \d{3,4}$/.test(v.title)) out.push(`error title without a code: ${v.title}`);
    if (!v.lines?.[0]?.trim()) out.push('error without a message');
    if (v.title === 'Error 500') out.push(`internal error: ${v.lines?.join(' | ') ?? ''}`);
  }
  renderText(v);
  const m = renderView(v);
  out.push(...limitViolations(m));
  if (m.allowedMentions.parse.length !== 0 || m.allowedMentions.roles.length !== 0) out.push('allowedMentions allows a ping');
  const shown = visibleText(m);
  if (/@(everyone|here)/.test(shown)) out.push('a live @everyone/@here in the text');
  if (/<[@#][!&]?\d/.test(shown)) out.push('a live <@…> mention in the text');
  return out;
}

function optionsOf(c: AnyCommand, sub: string | undefined): readonly CommandOption[] {
  return (sub ? c.subcommands?.find((s) => s.name === sub)?.options : c.options) ?? [];
}

function valueFor(r: Prng, o: CommandOption, known: readonly string[]): OptionValue {
  if (o.choices && r.bool(0.5)) return r.pick(o.choices).value;
  switch (o.type) {
    case 'string':
      // Discord enforces max_length; the console too. Mostly within it, sometimes a real id or symbol.
      if (r.bool(0.25)) return r.pick(known);
      return nastyString(r, o.maxLength ?? 6000).slice(0, o.maxLength ?? 6000);
    case 'integer':
      return Math.trunc(r.bool(0.7) ? r.int(o.min ?? -1e6, o.max ?? 1e6) : r.pick([0, -1, 1, 2 ** 31, -(2 ** 31)]));
    case 'number': {
      // Discord enforces min/max and never sends NaN or Infinity (JSON cannot carry them).
      const n = nastyNumber(r, o.min, o.max);
      return Number.isFinite(n) ? Math.min(o.max ?? n, Math.max(o.min ?? n, n)) : (o.min ?? 0);
    }
    case 'boolean':
      return r.bool();
  }
}

function actor(r: Prng): Actor {
  return { id: String(r.int(1, 1e9)), name: r.bool(0.5) ? nastyString(r, 32) : 'alice', source: r.pick(['console', 'discord:1/2', 'discord:dm/?']), isAdmin: r.bool(0.5) };
}

describe('fuzz: commands', () => {
  it('executeCommand with options as Discord delivers them (random values, admin or not)', async () => {
    const r = new Prng(SEED);
    const known = ['acc-1', 'acc-2', 'acc-3', 'BTC', 'ETH', 'BTC-PERP', 'auto', 'paper', ...(await t.app.alerts.list({ state: 'all' })).map((a) => a.shortId)];
    const failures: string[] = [];
    for (let i = 0; i < 700; i++) {
      const c = r.pick(commandList());
      const sub = c.subcommands?.length ? r.pick(c.subcommands).name : undefined;
      const options: Record<string, OptionValue> = {};
      for (const o of optionsOf(c, sub)) if (o.required || r.bool(0.6)) options[o.name] = valueFor(r, o, known);
      const input = { options, actor: actor(r), ...(sub ? { subcommand: sub } : {}) };
      let view: unknown;
      try {
        view = await executeCommand(c, t.app.ctx, input, t.app.logger, t.app.onRefused);
      } catch (err) {
        failures.push(`#${i} /${c.name} ${sub ?? ''} threw ${String(err)}`);
        continue;
      }
      for (const p of problems(view)) failures.push(`#${i} /${c.name} ${sub ?? ''} ${JSON.stringify(options).slice(0, 300)}: ${p}`);
    }
    expect(failures).toEqual([]);
    expect(t.logs.filter((l) => l.msg === 'command failed')).toEqual([]);
  });

  it('console lines: parser and commands with random tokens, quotes and numbers', async () => {
    const r = new Prng(SEED + 1);
    const me: Actor = { id: 'local', name: 'tester', source: 'console', isAdmin: true };
    const failures: string[] = [];
    const quote = (s: string): string => (r.bool(0.5) ? `"${s.replace(/(["\\])/g, '\\$1')}"` : s);
    for (let i = 0; i < 700; i++) {
      let line: string;
      if (r.bool(0.15)) {
        line = nastyString(r, 400);
      } else {
        const c = r.pick(commandList());
        const sub = c.subcommands?.length && r.bool(0.9) ? r.pick(c.subcommands).name : undefined;
        const tokens = [`${r.bool(0.9) ? '/' : ''}${r.bool(0.9) ? c.name : c.name.toUpperCase()}`, ...(sub ? [sub] : [])];
        for (const o of optionsOf(c, sub)) {
          if (!o.required && r.bool(0.4)) continue;
          const raw = o.type === 'string' ? nastyString(r, (o.maxLength ?? 200) + (r.bool(0.2) ? 50 : 0)) : r.bool(0.5) ? r.pick(NASTY_NUMBER_TEXT) : String(nastyNumber(r, o.min, o.max));
          tokens.push(r.bool(0.8) ? `${o.name}:${quote(raw)}` : quote(raw));
        }
        if (r.bool(0.1)) tokens.push(`${nastyString(r, 20)}:${nastyString(r, 20)}`);
        line = tokens.join(' ');
      }
      let view: unknown;
      try {
        view = await runLine(line, t.app.commands, t.app.ctx, me, t.app.logger);
      } catch (err) {
        failures.push(`#${i} ${JSON.stringify(line).slice(0, 200)} threw ${String(err)}`);
        continue;
      }
      for (const p of problems(view)) failures.push(`#${i} ${JSON.stringify(line).slice(0, 300)}: ${p}`);
    }
    expect(failures).toEqual([]);
  });
});
