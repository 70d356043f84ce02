import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/core/ports/store.js';
import { alertsContract } from './contract/alerts.js';
import { recordsContract } from './contract/records.js';
import { outboxContract } from './contract/outbox.js';
import { metricsContract } from './contract/metrics.js';
import { transactionContract } from './contract/transactions.js';
import type { HourlyRow, OpenedStore, UseStore } from './contract/types.js';

export type { HourlyRow, OpenedStore };

/**
 * One behaviour for every Store implementation: each test gets a fresh, empty store from `open` and
 * talks to it only through the async Store port (plus `hourlyRows`, to hand-check downsampling).
 */
export function storeContract(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void>; hourlyRows?: () => Promise<HourlyRow[]> }>): void {
  describe(`Store contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });
    const use: UseStore = () => {
      if (!opened) throw new Error('no store open');
      return opened;
    };
    describe('alerts', () => alertsContract(use));
    describe('silences, audit, kv, drawdown buckets', () => recordsContract(use));
    describe('outbox', () => outboxContract(use));
    describe('metrics', () => metricsContract(use));
    describe('transactions and lifecycle', () => transactionContract(use));
  });
}
