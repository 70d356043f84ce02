import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { alertsCommand } from '../../commands/alerts.js';
import { canonicalJson, commandsHash, toCommandBodies, toCommandBody } from '../../src/discord/command-data.js';
import type { Command } from '../../src/present/command.js';

const scope = { appId: '1100000000000000001', guildId: '1200000000000000001' };

describe('toCommandBody', () => {
  it('maps options with types, bounds, max length and autocomplete, guild-only', () => {
    const body = toCommandBody(commands.find((c) => c.name === 'utilization')!);
    expect(body).toMatchObject({
      type: 1,
      name: 'utilization',
      contexts: [0],
      integration_types: [0],
      dm_permission: false,
      default_member_permissions: null,
      options: [
        { type: 10, name: 'target', required: false, min_value: 0.01, max_value: 1 },
        { type: 10, name: 'tolerance', required: false, min_value: 0, max_value: 10 },
      ],
    });
    const risk = toCommandBody(commands.find((c) => c.name === 'risk')!);
    expect(risk.options).toEqual([{ type: 3, name: 'account', description: 'Account id (default: portfolio)', required: false, max_length: 64, autocomplete: true }]);
  });

  it('maps subcommands, choices and integer options; required options first', () => {
    const body = toCommandBody(alertsCommand);
    const sub = (name: string) => body.options?.find((o) => o.name === name) as { type: number; options: { name: string; type: number; required: boolean; choices?: unknown[]; autocomplete?: boolean; min_value?: number }[] };
    expect(body.options?.map((o) => [o.name, o.type])).toEqual([['list', 1], ['ack', 1], ['resolve', 1], ['silence', 1], ['unsilence', 1]]);
    expect(sub('list').options.find((o) => o.name === 'severity')?.choices).toEqual([{ name: 'INFO', value: 'INFO' }, { name: 'WARN', value: 'WARN' }, { name: 'CRITICAL', value: 'CRITICAL' }]);
    expect(sub('ack').options[0]).toMatchObject({ name: 'id', type: 3, required: true, autocomplete: true });
    expect(sub('unsilence').options[0]).toMatchObject({ name: 'id', type: 4, required: true, min_value: 1 });
    expect(sub('silence').options.map((o) => o.required)).toEqual([true, true, false, false, false, false, false]);
  });

  it('puts required options before optional ones and drops autocomplete when there are choices', () => {
    const c: Command<unknown> = {
      name: 'x',
      description: 'd'.repeat(300),
      options: [
        { name: 'opt', description: 'o', type: 'string', autocomplete: 'symbol', choices: [{ name: 'a', value: 'a' }] },
        { name: 'req', description: 'r', type: 'boolean', required: true },
      ],
      handle: () => ({ title: '' }),
    };
    const body = toCommandBody(c);
    expect(body.description).toHaveLength(100);
    expect(body.options?.map((o) => o.name)).toEqual(['req', 'opt']);
    expect(body.options?.[1]).not.toHaveProperty('autocomplete');
  });

  it('gives a command that is admin-only as a whole Manage Server as default permission', () => {
    const body = toCommandBody({ name: 'adm', description: 'a', admin: true, handle: () => ({ title: '' }) });
    expect(body.default_member_permissions).toBe('32');
  });

  it('refuses invalid names and duplicates', () => {
    expect(() => toCommandBody({ name: 'Bad Name', description: 'x', handle: () => ({ title: '' }) })).toThrow(/not a valid Discord command/);
    const c = commands[0]!;
    expect(() => toCommandBodies([c, c])).toThrow(/defined twice/);
  });

  it('every command of the app maps', () => {
    const bodies = toCommandBodies([...commands, alertsCommand as unknown as Command<unknown>].filter((c, i, all) => all.findIndex((x) => x.name === c.name) === i));
    expect(bodies.map((b) => b.name)).toEqual(expect.arrayContaining(['status', 'risk', 'positions', 'history', 'delta', 'utilization', 'funding', 'feeds', 'sync', 'audit', 'help', 'alerts']));
    // /sync and /audit are admin-only as a whole: hidden from members without Manage Server by default.
    expect(bodies.filter((b) => b.default_member_permissions === '32').map((b) => b.name).sort()).toEqual(['audit', 'sync']);
  });
});

describe('commandsHash', () => {
  const bodies = toCommandBodies(commands);

  it('is stable across key order and calls', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, e: null }] })).toBe('{"a":[{"d":2,"e":null}],"b":1}');
    const shuffled = JSON.parse(JSON.stringify(bodies, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v))) as typeof bodies;
    expect(commandsHash(shuffled, scope)).toBe(commandsHash(bodies, scope));
    expect(commandsHash(toCommandBodies(commands), scope)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with a definition, the guild or the app', () => {
    const h = commandsHash(bodies, scope);
    const changed = bodies.map((b) => (b.name === 'status' ? { ...b, description: `${b.description}!` } : b));
    expect(commandsHash(changed, scope)).not.toBe(h);
    expect(commandsHash(bodies, { appId: scope.appId })).not.toBe(h);
    expect(commandsHash(bodies, { ...scope, appId: '1100000000000000002' })).not.toBe(h);
  });
});
