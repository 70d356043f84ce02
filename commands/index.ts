import type { CoreContext } from './context.js';
import { alertsCommand, type AlertsCommandCtx } from './alerts.js';
import { auditCommand, type AuditCommandCtx } from './audit.js';
import type { Command } from '../src/present/command.js';
import { deltaCommand } from './delta.js';
import { feedsCommand, type FeedsCommandCtx } from './feeds.js';
import { fundingCommand } from './funding.js';
import { helpCommand, type HelpContext } from './help.js';
import { historyCommand, type HistoryCommandCtx } from './history.js';
import { positionsCommand } from './positions.js';
import { riskCommand } from './risk.js';
import { statusCommand } from './status.js';
import { syncCommand, type SyncCommandCtx } from './sync.js';
import { utilizationCommand } from './utilization.js';

/** What every command handler receives, whatever the transport. */
export type AppCommandContext = CoreContext & HelpContext & AlertsCommandCtx & FeedsCommandCtx & HistoryCommandCtx & SyncCommandCtx & AuditCommandCtx;

/** Every slash command, in the order /help lists them. One file each under commands/. */
export const commands: readonly Command<AppCommandContext>[] = [
  statusCommand,
  riskCommand,
  positionsCommand,
  historyCommand,
  alertsCommand,
  deltaCommand,
  utilizationCommand,
  fundingCommand,
  feedsCommand,
  syncCommand,
  auditCommand,
  helpCommand,
];
