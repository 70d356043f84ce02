import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode } from '../../../src/core/errors.js';
import { decimal, optionalDecimal, perBaseUnit, scale } from '../../../src/venues/http/decimal.js';
import { parsePayload, parseRows } from '../../../src/venues/http/payload.js';
import { parseBody } from '../../../src/venues/http/response-body.js';
import { CLOUDFRONT_403 } from '../../fakes/venues/fake-http-server.js';

const where = { venue: 'binance' as const, endpoint: 'GET /x' };

describe('decimals at the edge', () => {
  it('parses strings and numbers once; rejects empty and non-numeric', () => {
    expect(decimal.parse('0.0000125')).toBe(0.0000125);
    expect(decimal.parse(12.34)).toBe(12.34);
    expect(decimal.safeParse('').success).toBe(false);
    expect(decimal.safeParse('abc').success).toBe(false);
    expect(optionalDecimal.parse(null)).toBeUndefined();
    expect(optionalDecimal.parse('')).toBeUndefined();
  });

  it('scales by powers of ten without binary noise', () => {
    expect(1.005 * 1000).not.toBe(1005);
    expect(scale(1.005, 1000)).toBe(1005);
    expect(perBaseUnit(0.0123, 1000)).toBe(0.0000123);
    expect(scale(-12345.6, 1000)).toBe(-12345600);
  });
});

describe('parseBody', () => {
  it('tells JSON, HTML, empty and malformed apart', () => {
    expect(parseBody('{"a":1}', 'application/json')).toEqual({ kind: 'json', value: { a: 1 } });
    expect(parseBody('"12.34"', undefined)).toEqual({ kind: 'json', value: '12.34' });
    expect(parseBody(CLOUDFRONT_403, 'text/html')).toEqual({ kind: 'html', title: 'ERROR: The request could not be satisfied' });
    expect(parseBody('  ', undefined)).toEqual({ kind: 'empty' });
    const bad = parseBody(`{"a":${'9'.repeat(500)}`, 'application/json');
    expect(bad.kind).toBe('malformed');
    expect(bad.kind === 'malformed' && bad.snippet.length).toBeLessThanOrEqual(121);
  });
});

describe('payload validation', () => {
  it('a shape mismatch is 1005, names the path, never the value', () => {
    try {
      parsePayload(z.object({ a: decimal }), { a: 'secret-looking-value' }, where);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: ErrorCode.MarketDataUnavailable, retryable: false });
      expect((e as Error).message).toContain('a: not a decimal');
      expect((e as Error).message).not.toContain('secret-looking-value');
    }
  });

  it('drops bad rows of a list but fails a list with no good row', () => {
    const row = z.object({ p: decimal });
    expect(parseRows(row, [{ p: '1' }, { p: '' }], where)).toEqual({ rows: [{ p: 1 }], skipped: 1 });
    expect(() => parseRows(row, [{ p: '' }], where)).toThrow(/unusable response/);
    expect(parseRows(row, [], where)).toEqual({ rows: [], skipped: 0 });
  });
});
