import { it } from 'vitest';
import type { NewAlert } from '../../../src/core/ports/alerts.js';
import type { Store } from '../../../src/core/ports/store.js';

/** A row of the hourly downsampled metrics, as the implementation stores it. */
export interface HourlyRow {
  metric: string;
  scope: string;
  ts: number;
  avg: number;
  min: number;
  max: number;
  n: number;
}

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
  /** Every hourly row, ordered by metric, scope, ts (min, max and n are not visible through the port). */
  hourlyRows?: () => Promise<HourlyRow[]>;
}

export type UseStore = () => OpenedStore;

/** `it`, except that a test named in `knownFailures` must fail (so that a fix is noticed and the entry removed). */
export type ContractIt = (title: string, fn: () => Promise<void>) => void;

export function contractIt(knownFailures: ReadonlySet<string>): ContractIt {
  return (title, fn) => (knownFailures.has(title) ? it.fails : it)(title, fn);
}

/** What each part of the contract gets: the store of the running test, and `it`. */
export interface Contract {
  use: UseStore;
  it: ContractIt;
}

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const HOUR = 3_600_000;

export function newAlert(over: Partial<NewAlert> = {}): NewAlert {
  return {
    fingerprint: 'utilization|acc-1|',
    type: 'utilization',
    account: 'acc-1',
    severity: 'WARN',
    state: 'firing',
    value: 0.91,
    threshold: 0.85,
    summary: 'utilization 91.0% > 85.0%',
    sources: ['acc-1'],
    startsAt: T0,
    updatedAt: T0,
    clearTicks: 0,
    ...over,
  };
}
