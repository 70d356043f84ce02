import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { FAKE_BOT_TOKEN } from '../fakes/discord/discord-client.js';
import type { FakeDiscord } from '../fakes/discord/index.js';
import { ADMIN_ROLE, ALERTS, GUILD } from '../discord/bot-fixture.js';
import { messageText } from '../discord/e2e-helpers.js';
import { startCli } from '../helpers/run-cli.js';

export const HA_FIXTURE = 'test/fixtures/ha.yaml';
export const POST_ALERTS = new RegExp(`^/channels/${ALERTS}/messages$`);

export type Replica = ReturnType<typeof startCli> & { name: string };

/** Environment of a replica: the shared database, the loopback Discord, its instance name. */
export function replicaEnv(fake: FakeDiscord, databaseUrl: string, instance: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DISCORD_TOKEN: FAKE_BOT_TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_GUILD_ID: GUILD,
    ALERT_CHANNEL_ID: ALERTS,
    ADMIN_ROLE_IDS: ADMIN_ROLE,
    DATABASE_URL: databaseUrl,
    INSTANCE_ID: instance,
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

export function startReplica(name: string, env: Record<string, string>, config = HA_FIXTURE): Replica {
  return { ...startCli(['--config', config], env), name };
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
}

export interface FireRow {
  id: number;
  status: string;
  /** The alerts' short ids the message carries. */
  shortIds: string[];
}

/** The alert messages (kind `fire`) as the replicas stored them in the shared outbox. */
export async function fireRows(url: string): Promise<FireRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ id: number; status: string; payload: unknown }>("SELECT id, status, payload FROM outbox WHERE kind = 'fire' ORDER BY id");
    return r.rows.map((row) => {
      const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as { alerts: { shortId: string }[] };
      return { id: Number(row.id), status: row.status, shortIds: payload.alerts.map((a) => a.shortId) };
    });
  } finally {
    await client.end();
  }
}

/** How many messages in the alert channel carry each alert (`[shortId]` in the text). */
export function timesPosted(fake: FakeDiscord, shortIds: readonly string[]): number[] {
  const texts = fake.channelMessages(ALERTS).map((m) => messageText(m.json));
  return shortIds.map((id) => texts.filter((t) => t.includes(`[${id}]`)).length);
}
