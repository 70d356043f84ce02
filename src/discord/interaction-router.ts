import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
} from 'discord.js';
import type { Logger } from 'pino';
import { ErrorCode } from '../core/errors.js';
import type { Actor } from '../core/ports/actor.js';
import type { Command, CommandInput, OptionValue } from '../present/command.js';
import { errorView, executeCommand, needsAdmin, newErrorId, type RefusalHook } from '../present/execute.js';
import type { View } from '../present/view.js';
import { suggest, type SuggestionSources } from './autocomplete.js';
import { actorOf, placeRefusal, type AccessPolicy, type CommandGate, type Requester } from './command-gate.js';
import { chartFileName, renderViewChart } from './chart.js';
import { renderView, type RenderedMessage } from './render-view.js';
import { answerInteraction, messageOptions } from './reply.js';

/** Discord allows 3 s before the first answer; past this the router defers. */
export const DEFER_AFTER_MS = 800;

export interface RouterDeps<C> {
  commands: readonly Command<C>[];
  ctx: C;
  gate: CommandGate;
  policy: AccessPolicy;
  suggestions: SuggestionSources;
  /** Audits refused admin commands (the app's hook, also used by the console). */
  onRefused?: RefusalHook;
  /** Message buttons (`alert:ack:<id>` …): a View, or undefined when the id is not handled. Refusals are thrown (DeltaOpsError). */
  buttons?: (actor: Actor, customId: string) => Promise<View> | View | undefined;
  /**
   * The clicking user of a button in a DM (an escalation DM), with the admin flag of their member in the
   * server (src/discord/dm-actor.ts); undefined when not a member. Without it, DM buttons are refused
   * like every DM interaction. Slash commands in DMs are refused either way.
   */
  dmButtonActor?: (r: Requester) => Promise<Actor | undefined>;
  logger: Logger;
  deferAfterMs?: number;
}

function requesterOf(i: Interaction): Requester {
  const m = i.member;
  const roleIds = !m ? [] : Array.isArray(m.roles) ? m.roles : [...m.roles.cache.keys()];
  return { userId: i.user.id, userName: i.user.username, guildId: i.guildId, channelId: i.channelId, roleIds };
}

/** Flattens the interaction's options: the subcommand, if any, and its leaf values. */
function commandInput(i: ChatInputCommandInteraction | AutocompleteInteraction, actor: Actor): CommandInput {
  let leaves: readonly CommandInteractionOption[] = i.options.data;
  let subcommand: string | undefined;
  const sub = leaves[0];
  if (sub?.type === ApplicationCommandOptionType.Subcommand) {
    subcommand = sub.name;
    leaves = sub.options ?? [];
  }
  const options: Record<string, OptionValue | undefined> = {};
  for (const o of leaves) if (o.value !== undefined && o.value !== null) options[o.name] = o.value;
  return subcommand !== undefined ? { subcommand, options, actor } : { options, actor };
}

/** A refusal before any handler ran: the gate's, or an unknown command. */
interface ErrorReply {
  code: number;
  reason: string;
  message: string;
}

/**
 * The one place that does what every interaction needs: the guild allow-list, the per-user cooldown,
 * the actor with its admin flag (ADMIN_ROLE_IDS / ADMIN_USER_IDS), deferring slow answers, and ephemeral
 * error replies whose id is also in the log. Commands and buttons run through executeCommand, which
 * refuses admin actions for non-admins (audited through `onRefused`) and turns failures into error views.
 */
export function createInteractionRouter<C>(deps: RouterDeps<C>): (interaction: Interaction) => Promise<void> {
  const byName = new Map(deps.commands.map((c) => [c.name, c]));
  const deferAfterMs = deps.deferAfterMs ?? DEFER_AFTER_MS;
  // A view's chart (say /history) is drawn here, as a PNG in the first embed; without it when drawing fails.
  const render = async (view: View): Promise<RenderedMessage> => {
    if (!view.chart) return renderView(view);
    try {
      return renderView(view, { image: { name: chartFileName(view.chart.file), data: await renderViewChart(view.chart) } });
    } catch (err) {
      deps.logger.error({ err, chart: view.chart.file }, 'chart failed; answering without it');
      return renderView(view);
    }
  };

  const refuse = async (i: ChatInputCommandInteraction | ButtonInteraction, log: () => Logger, refusal: ErrorReply): Promise<void> => {
    const errorId = newErrorId();
    log().warn({ errorId, code: refusal.code, reason: refusal.reason }, 'interaction refused');
    await i.reply(messageOptions(renderView(errorView(refusal.code, refusal.message, errorId))));
  };

  /** Runs the refusal hook; an audit that fails is logged, and the user still gets the refusal. */
  const audited = (log: () => Logger, record: () => Promise<void> | void): void => {
    // Not awaited: the refusal is answered in time even when the store is slow or unreachable.
    Promise.resolve()
      .then(record)
      .catch((err: unknown) => log().error({ err }, 'could not record the refusal in the audit log'));
  };

  const onCommand = async (i: ChatInputCommandInteraction, log: () => Logger): Promise<void> => {
    const command = byName.get(i.commandName);
    const r = requesterOf(i);
    if (!command) {
      await refuse(i, log, { code: 400, reason: 'unknown-command', message: 'This command is not available (the registered commands may be out of date).' });
      return;
    }
    const decision = deps.gate.check(r);
    if (!decision.ok) {
      // Refused before it ran (DM, other server, cooldown): an admin action still gets its audit row.
      audited(log, () => deps.onRefused?.(command.name, commandInput(i, decision.actor), decision.refusal.reason));
      await refuse(i, log, decision.refusal);
      return;
    }
    // executeCommand binds command, actor and source (guild/channel) itself: handing it the transport's
    // logger rather than the per-interaction child saves building a second pino child per command.
    const input = commandInput(i, decision.actor);
    const work = executeCommand(command, deps.ctx, input, deps.logger, deps.onRefused);
    // A non-admin's slow admin command (/sync) is refused at once: answered privately, never deferred in public first.
    const slow = command.slow === true && (decision.actor.isAdmin || !needsAdmin(command, input.subcommand));
    const how = await answerInteraction(i, work, { slow, deferAfterMs, render });
    if (deps.logger.isLevelEnabled('debug')) log().debug({ how }, 'command answered');
  };

  const onAutocomplete = async (i: AutocompleteInteraction): Promise<void> => {
    const r = requesterOf(i);
    if (placeRefusal(r, deps.policy)) {
      await i.respond([]);
      return;
    }
    const command = byName.get(i.commandName);
    const focused = i.options.getFocused(true);
    const sub = i.options.getSubcommand(false);
    const defs = sub ? command?.subcommands?.find((s) => s.name === sub)?.options : command?.options;
    const kind = defs?.find((o) => o.name === focused.name)?.autocomplete;
    const siblings = commandInput(i, actorOf(r, deps.policy)).options;
    await i.respond(kind ? await suggest(kind, String(focused.value), deps.suggestions, siblings) : []);
  };

  const buttonCommand: Command<C> = {
    name: 'button',
    description: 'message button',
    handle: (_ctx, input) => {
      const id = String(input.options['customId'] ?? '');
      return deps.buttons?.(input.actor, id) ?? { title: 'Nothing to do', tone: 'warn', lines: ['This button is no longer handled.'], ephemeral: true };
    },
  };

  /** A button in a DM: it works for a member of the server, with their admin roles there; the service checks them. */
  const onDmButton = async (i: ButtonInteraction, log: () => Logger, r: Requester, lookup: (r: Requester) => Promise<Actor | undefined>): Promise<void> => {
    const input = { options: { customId: i.customId } };
    const work = (async (): Promise<View> => {
      const actor = await lookup(r);
      if (actor) return executeCommand(buttonCommand, deps.ctx, { ...input, actor }, log());
      const errorId = newErrorId();
      log().warn({ errorId, code: ErrorCode.PermissionDenied, reason: 'not-member' }, 'DM button refused: not a member of the server');
      audited(log, () => deps.onRefused?.('button', { ...input, actor: actorOf(r, deps.policy) }, 'not-member'));
      return errorView(ErrorCode.PermissionDenied, 'This button works for members of the delta-ops server only.', errorId);
    })();
    await answerInteraction(i, work, { slow: false, deferAfterMs, render });
  };

  const onButton = async (i: ButtonInteraction, log: () => Logger): Promise<void> => {
    const r = requesterOf(i);
    const place = placeRefusal(r, deps.policy);
    if (place?.reason === 'dm' && deps.dmButtonActor) {
      await onDmButton(i, log, r, deps.dmButtonActor);
      return;
    }
    if (place) {
      audited(log, () => deps.onRefused?.('button', { options: { customId: i.customId }, actor: actorOf(r, deps.policy) }, place.reason));
      await refuse(i, log, place);
      return;
    }
    // Buttons are not cooled down: they only act on alerts, and the alert service audits every click.
    const actor = actorOf(r, deps.policy);
    const work = executeCommand(buttonCommand, deps.ctx, { options: { customId: i.customId }, actor }, log());
    await answerInteraction(i, work, { slow: false, deferAfterMs, render });
  };

  return async (interaction) => {
    // Built on first use: a pino child costs ~10-15 µs (its bindings go through the redaction), and most
    // answered commands never log here.
    let child: Logger | undefined;
    const log = (): Logger =>
      (child ??= deps.logger.child({
        interaction: interaction.id,
        user: interaction.user.id,
        guild: interaction.guildId ?? 'dm',
        ...(interaction.isChatInputCommand() || interaction.isAutocomplete() ? { command: interaction.commandName } : {}),
        ...(interaction.isButton() ? { button: interaction.customId } : {}),
      }));
    try {
      if (interaction.isChatInputCommand()) await onCommand(interaction, log);
      else if (interaction.isAutocomplete()) await onAutocomplete(interaction);
      else if (interaction.isButton()) await onButton(interaction, log);
    } catch (err) {
      // A failure to answer (expired interaction, Discord down): logged under an id, and told to the user when still possible.
      const errorId = newErrorId();
      log().error({ errorId, err }, 'interaction failed');
      if (interaction.isRepliable() && !interaction.replied && !interaction.deferred) {
        await interaction.reply(messageOptions(renderView(errorView(500, 'Something went wrong on our side; the team can find it in the log.', errorId)))).catch(() => undefined);
      }
    }
  };
}
