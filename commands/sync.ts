import { resolveAccount, type CoreContext } from './context.js';
import type { OnDemandSyncResult } from '../src/core/on-demand-sync.js';
import type { Command } from '../src/present/command.js';
import { syncView } from '../src/present/sync-view.js';
import type { View } from '../src/present/view.js';

/** What /sync needs: an on-demand sync that joins a tick in flight (syncNow over the engine). */
export interface SyncCommandCtx extends CoreContext {
  sync(accounts?: readonly string[]): Promise<OnDemandSyncResult>;
}

export const syncCommand = {
  name: 'sync',
  description: 'Sync now (joins a sync already running): which accounts synced, which failed, how long it took',
  admin: true,
  slow: true,
  options: [{ name: 'account', description: 'Report this account (every account is synced)', type: 'string', autocomplete: 'account', maxLength: 64 }],
  async handle(ctx, input): Promise<View> {
    const raw = input.options['account'];
    // An unknown account is refused (1001) before any venue is called.
    const account = typeof raw === 'string' && raw.trim() ? resolveAccount(ctx.config, raw) : undefined;
    return syncView(await ctx.sync(account ? [account] : undefined));
  },
} satisfies Command<SyncCommandCtx>;
