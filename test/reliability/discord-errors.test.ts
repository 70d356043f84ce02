import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { deliveryFailure, isPermanentDiscordError } from '../../src/discord/rest-errors.js';

const apiError = (status: number, code: number, message: string): DiscordAPIError =>
  new DiscordAPIError({ code, message }, code, status, 'POST', 'http://127.0.0.1/api/v10/channels/1/messages', { body: undefined, files: undefined });
const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

/** What the start-up retry and the outbox make of Discord's failures. */
describe('Discord failures: retry or give up', () => {
  it('only a rejected token or intents stop the start; an outage is retried', () => {
    expect(isPermanentDiscordError(withCode('TokenInvalid', 'An invalid token was provided.'))).toBe(true);
    expect(isPermanentDiscordError(withCode('DisallowedIntents'))).toBe(true);
    expect(isPermanentDiscordError(apiError(401, 0, '401: Unauthorized'))).toBe(true);
    expect(isPermanentDiscordError(withCode('UND_ERR_SOCKET', 'other side closed'))).toBe(false);
    expect(isPermanentDiscordError(withCode('ECONNREFUSED'))).toBe(false);
    expect(isPermanentDiscordError(apiError(502, 0, '502: Bad Gateway'))).toBe(false);
    expect(isPermanentDiscordError(new Error('fetch failed'))).toBe(false);
  });

  it('a 401 on a delivery keeps the notification (retry): a rotated token is fixed by a restart, and nothing is lost', () => {
    expect(deliveryFailure(apiError(401, 0, '401: Unauthorized'))).toMatchObject({ kind: 'retry' });
    expect(deliveryFailure(apiError(404, 10003, 'Unknown Channel'))).toMatchObject({ kind: 'permanent' });
    expect(deliveryFailure(apiError(403, 50013, 'Missing Permissions'))).toMatchObject({ kind: 'permanent' });
  });
});
