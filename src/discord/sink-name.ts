/**
 * The Discord sink's name in the outbox. Its own module so that the app can name the sink without
 * loading discord.js (~45 MB and a third of the start-up in console, headless and `--once` runs).
 */
export const DISCORD_SINK_NAME = 'discord';
