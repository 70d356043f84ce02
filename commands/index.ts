import type { CoreContext } from './context.js';
import { alertsCommand, type AlertsCommandCtx } from './alerts.js';
import type { Command } from '../src/present/command.js';
import { deltaCommand } from './delta.js';
import { feedsCommand, type FeedsCommandCtx } from './feeds.js';
import { fundingCommand } from './funding.js';
import { helpCommand, type HelpContext } from './help.js';
import { riskCommand } from './risk.js';
import { statusCommand } from './status.js';
import { utilizationCommand } from './utilization.js';

/** What every command handler receives, whatever the transport. */
export type AppCommandContext = CoreContext & HelpContext & AlertsCommandCtx & FeedsCommandCtx;

/** Every slash command, in the order /help lists them. One file each under commands/. */
export const commands: readonly Command<AppCommandContext>[] = [
  statusCommand,
  riskCommand,
  alertsCommand,
  deltaCommand,
  utilizationCommand,
  fundingCommand,
  feedsCommand,
  helpCommand,
];
