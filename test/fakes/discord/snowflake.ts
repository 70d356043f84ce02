import type { Clock } from '../../../src/core/clock.js';

/** Discord's epoch (2015-01-01T00:00:00Z): snowflakes count milliseconds from here. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/**
 * Mints Discord-shaped snowflakes: timestamp << 22 | worker << 17 | process << 12 | increment.
 * Ids are decimal strings of 17-20 digits, ordered by creation, like the real API's.
 */
export class SnowflakeFactory {
  private increment = 0n;

  constructor(
    private readonly clock: Clock,
    private readonly workerId = 1n,
  ) {}

  next(): string {
    const ms = BigInt(Math.max(this.clock.now(), Number(DISCORD_EPOCH_MS) + 1));
    const id =
      ((ms - DISCORD_EPOCH_MS) << 22n) | (this.workerId << 17n) | ((this.increment++ & 0xfffn) as bigint);
    return id.toString();
  }
}

/** The creation time encoded in a snowflake, in Unix milliseconds. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}
