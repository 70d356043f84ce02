import type { Database } from '../driver.js';
import { m001Core } from './001-core.js';
import { m003MetricsStaging } from './003-metrics-staging.js';
import { m010Outbox } from './010-outbox.js';
import { m011Alerts } from './011-alerts.js';
import { m012Audit } from './012-audit.js';
import { m013OutboxInFlight } from './013-outbox-in-flight.js';
import { m014Paging } from './014-paging.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/**
 * Every schema change, in order. Append new files here; never edit one that has shipped.
 * Numbers 001-009 core/metrics, 010-019 alerts/outbox/audit, 020-029 discord, 030-039 venues/feeds.
 */
export const MIGRATIONS: readonly Migration[] = [m001Core, m003MetricsStaging, m010Outbox, m011Alerts, m012Audit, m013OutboxInFlight, m014Paging];
