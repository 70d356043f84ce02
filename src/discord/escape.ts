const ZWSP = '\u200b';

/**
 * Makes mentions inert for display: `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>`, `<#id>` and
 * slash-command mentions get a zero-width space, so they render as text. (Pings are prevented anyway by
 * `allowedMentions`; this keeps user text from even looking like a mention.)
 */
export function neutralizeMentions(text: string): string {
  // Most text has neither character; skipping the two regex passes then halves the cost of a render.
  if (!text.includes('@') && !text.includes('<')) return text;
  return text.replace(/@(everyone|here)/g, `@${ZWSP}$1`).replace(/<([@#/])/g, `<${ZWSP}$1`);
}

/**
 * View text is plain: every string a View carries may hold user-supplied pieces (an account id someone
 * typed, an ack comment), so all of it is escaped before it becomes Discord markdown. Discord hides a
 * backslash before any punctuation, so escaping every markdown character is safe; block syntax
 * (quote, heading, list, subtext) only counts at the start of a line. Linear time, unlike discord.js's
 * escapeMarkdown, whose italic rule is quadratic on long runs of letters.
 */
export function escapeText(text: string): string {
  return neutralizeMentions(
    text
      .replace(/[\\*_~`|[\]]/g, '\\$&')
      .replace(/^(\s*)(>{1,3}|#{1,3}|-)(?=[\s#])/gm, '$1\\$2')
      .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.'),
  );
}

/** Text placed inside a ``` code block: only a closing fence can break out, so break up backtick runs. */
export function escapeCodeBlock(text: string): string {
  return neutralizeMentions(text.replace(/`{3,}/g, (m) => m.split('').join(ZWSP)));
}

/** One-line plain text for places without markdown (button labels, autocomplete choice names). */
export function plainLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim();
}
