import type { Database } from 'better-sqlite3';
import { m001Core } from './001-core.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/**
 * Every schema change, in order. Append new files here; never edit one that has shipped.
 * Numbers 001-009 core/metrics, 010-019 alerts/outbox/audit, 020-029 discord, 030-039 venues/feeds.
 */
export const MIGRATIONS: readonly Migration[] = [m001Core];
