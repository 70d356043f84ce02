import { MessageFlags, type InteractionReplyOptions, type RepliableInteraction } from 'discord.js';
import type { View } from '../present/view.js';
import type { RenderedMessage } from './render-view.js';

/** discord.js options for a rendered message (reply, follow-up). */
export function messageOptions(m: RenderedMessage): InteractionReplyOptions {
  return {
    ...(m.content !== undefined ? { content: m.content } : {}),
    embeds: m.embeds,
    components: m.components,
    allowedMentions: m.allowedMentions,
    files: m.files.map((f) => ({ attachment: f.data, name: f.name })),
    ...(m.flags !== undefined ? { flags: m.flags } : {}),
  };
}

/** Resolves with `fallback` after `ms` unless `work` settles first; the timer never outlives the race. */
function raceTimer<T, F>(work: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const PENDING = Symbol('pending');

export interface AnswerOptions {
  /** The command says it may take more than ~1 s: defer at once. */
  slow: boolean;
  /** Otherwise defer when no answer came within this (Discord's limit is 3 s). */
  deferAfterMs: number;
  /** The message for a view; async when it draws a chart (the time it takes counts towards the deferral). */
  render(view: View): RenderedMessage | Promise<RenderedMessage>;
}

/**
 * Answers an interaction with the view `work` produces: a direct reply when it is quick, otherwise a
 * deferral ("thinking…") and then an edit. An ephemeral answer after a public deferral cannot turn the
 * placeholder private, so the placeholder is deleted and the answer sent as an ephemeral follow-up.
 */
export async function answerInteraction(interaction: RepliableInteraction, work: Promise<View>, opts: AnswerOptions): Promise<'replied' | 'deferred'> {
  const rendered = work.then((view) => opts.render(view));
  let message: RenderedMessage | typeof PENDING = opts.slow ? PENDING : await raceTimer(rendered, opts.deferAfterMs, PENDING);
  if (message === PENDING) {
    await interaction.deferReply();
    message = await rendered;
  }
  const options = messageOptions(message);
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply(options);
    return 'replied';
  }
  if (message.flags === MessageFlags.Ephemeral) {
    await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp(options);
    return 'deferred';
  }
  const { flags: _flags, ...edit } = options;
  await interaction.editReply(edit);
  return 'deferred';
}
