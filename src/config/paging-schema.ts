import { z } from 'zod';
import { NOTIFY_LEVELS } from '../core/alerts/paging.js';
import { ALERT_TYPES, SEVERITIES } from '../core/ports/alerts.js';
import { cronParser } from './cron-parser.js';
import { duration } from './duration.js';

/**
 * `alerts.escalation`, `.routes`, `.notify` and `.maintenance` (the paging policy, src/core/alerts/paging.ts).
 * Ids are Discord snowflakes, written in quotes: YAML reads an unquoted 18-digit id as a number and
 * loses its last digits, so a number is refused with that said.
 */
const discordId = z.unknown().transform((v, ctx) => {
  if (typeof v === 'string' && /^\d{17,20}$/.test(v)) return v;
  ctx.addIssue({
    code: 'custom',
    message: typeof v === 'number' ? 'write Discord ids in quotes ("123…"): unquoted, YAML reads one as a number and loses digits' : 'must be a Discord id (17-20 digits)',
  });
  return z.NEVER;
});

const level = z.enum(NOTIFY_LEVELS);
const matchFields = {
  type: z.enum(ALERT_TYPES).optional(),
  account: z.string().min(1).max(64).optional(),
  symbol: z.string().min(1).max(32).optional(),
};

const escalationStepSchema = z.strictObject({
  /** Counted from the alert's first notification as CRITICAL. */
  after: duration.refine((ms) => ms > 0, 'must be more than 0'),
  mentionRoleIds: z.array(discordId).max(10).default([]),
  dmUserIds: z.array(discordId).max(10).default([]),
});

const routeSchema = z.strictObject({
  /** Every field given must match; `{}` matches every alert. */
  match: z.strictObject({ severity: z.enum(SEVERITIES).optional(), ...matchFields }),
  channelId: discordId,
  mentionRoleId: discordId.optional(),
  continue: z.boolean().default(false),
});

/** A cron expression that cron-parser reads and that fires, in a time zone Intl knows: one line saying which is wrong. */
function cronProblem(expression: string, timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return `unknown time zone "${timeZone.slice(0, 64)}" (use an IANA name such as Europe/Berlin)`;
  }
  try {
    cronParser().parse(expression, { tz: timeZone, currentDate: new Date(Date.UTC(2030, 0, 1)) }).next();
    return undefined;
  } catch (err) {
    return `invalid cron expression "${expression.slice(0, 64)}" (${err instanceof Error ? err.message.split('\n')[0]?.slice(0, 120) : 'unreadable'})`;
  }
}

const maintenanceSchema = z
  .strictObject({
    cron: z.string().min(1, 'must be a cron expression such as "0 2 * * SUN"'),
    duration: duration.refine((ms) => ms > 0 && ms <= 7 * 86_400_000, 'must be more than 0 and at most 7d'),
    timezone: z.string().default('UTC'),
    /** Like a silence: a type, an account and/or a symbol. */
    match: z.strictObject(matchFields).refine((m) => m.type !== undefined || m.account !== undefined || m.symbol !== undefined, 'needs a type, an account or a symbol to match'),
    reason: z.string().trim().min(1, 'must say why').max(200),
  })
  .superRefine((w, ctx) => {
    const problem = cronProblem(w.cron, w.timezone);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.startsWith('unknown time zone') ? ['timezone'] : ['cron'], message: problem });
  });

/** Types not listed are `on`. */
const notifySchema = z.strictObject(Object.fromEntries(ALERT_TYPES.map((t) => [t, level.optional()])) as Record<(typeof ALERT_TYPES)[number], z.ZodOptional<typeof level>>);

export const pagingFields = {
  escalation: z
    .array(escalationStepSchema)
    .max(10)
    .default([])
    .superRefine((steps, ctx) => {
      steps.forEach((s, i) => {
        if (s.mentionRoleIds.length === 0 && s.dmUserIds.length === 0) ctx.addIssue({ code: 'custom', path: [i], message: 'a step needs mentionRoleIds or dmUserIds' });
        const before = steps[i - 1];
        if (before && s.after <= before.after) ctx.addIssue({ code: 'custom', path: [i, 'after'], message: 'must be later than the step before' });
      });
    }),
  routes: z.array(routeSchema).max(50).default([]),
  notify: notifySchema.default({}),
  maintenance: z.array(maintenanceSchema).max(50).default([]),
};
