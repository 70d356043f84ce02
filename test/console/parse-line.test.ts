import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { parseLine, tokenize } from '../../src/console/parse-line.js';

describe('console line parser', () => {
  it('tokenizes quoted values', () => {
    expect(tokenize('/alerts silence reason:"planned maintenance" type:sync')).toEqual(['/alerts', 'silence', 'reason:planned maintenance', 'type:sync']);
  });

  it('parses subcommands, named and bare options with their types', () => {
    const p = parseLine('/delta plan symbol:BTC tolerance:0.02 slippage:0.001', commands);
    expect(p).toMatchObject({ ok: true, subcommand: 'plan', options: { symbol: 'BTC', tolerance: 0.02, slippage: 0.001 } });
    expect(parseLine('risk desk-b', commands)).toMatchObject({ ok: true, options: { account: 'desk-b' } });
  });

  it.each([
    ['/nope', 'unknown command /nope — type /help'],
    ['/delta', '/delta needs one of: plan'],
    ['/delta plan', 'option symbol is required'],
    ['/delta plan symbol:BTC tolerance:abc', 'option tolerance: expected a number, got "abc"'],
    ['/delta plan symbol:BTC tolerance:NaN', 'option tolerance: expected a number, got "NaN"'],
    ['/delta plan symbol:BTC tolerance:2', 'option tolerance: must be ≤ 1'],
    ['/utilization target:-1', 'option target: must be ≥ 0.01'],
    ['/status extra', 'unexpected "extra" — options: none'],
  ])('%s → %s', (line, error) => {
    expect(parseLine(line, commands)).toEqual({ ok: false, error });
  });
});
