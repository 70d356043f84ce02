import { afterEach, beforeEach, describe } from 'vitest';
import { alertsContract } from './contract/alerts.js';
import { recordsContract } from './contract/records.js';
import { outboxContract } from './contract/outbox.js';
import { pagingContract } from './contract/paging.js';
import { metricsContract } from './contract/metrics.js';
import { transactionContract } from './contract/transactions.js';
import { contractIt, type Contract, type HourlyRow, type OpenedStore } from './contract/types.js';

export type { HourlyRow, OpenedStore };

export interface ContractOptions {
  /** Titles of tests this store is known to fail (each one reported): they must fail until it is fixed. */
  knownFailures?: readonly string[];
}

/**
 * One behaviour for every Store implementation: each test gets a fresh, empty store from `open` and
 * talks to it only through the async Store port (plus `hourlyRows`, to hand-check downsampling).
 */
export function storeContract(name: string, open: () => Promise<OpenedStore>, opts: ContractOptions = {}): void {
  describe(`Store contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });
    const contract: Contract = {
      use: () => {
        if (!opened) throw new Error('no store open');
        return opened;
      },
      it: contractIt(new Set(opts.knownFailures)),
    };
    describe('alerts', () => alertsContract(contract));
    describe('silences, audit, kv, drawdown buckets', () => recordsContract(contract));
    describe('outbox', () => outboxContract(contract));
    describe('paging: escalation state, planned silences', () => pagingContract(contract));
    describe('metrics', () => metricsContract(contract));
    describe('transactions and lifecycle', () => transactionContract(contract));
  });
}
