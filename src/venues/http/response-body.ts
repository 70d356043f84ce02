/** What a response body turned out to be. HTML and broken JSON are told apart for the error message. */
export type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'html'; title?: string }
  | { kind: 'empty' }
  | { kind: 'malformed'; snippet: string };

const MAX_SNIPPET = 120;

/**
 * Parse a body once. HTML (a CDN error page) and malformed JSON are returned as kinds, not thrown,
 * so the caller can pick the error code with the HTTP status in hand. The snippet is short and stripped
 * of control characters: it goes to the error's `cause` for logs, never to a user.
 */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  const looksHtml = /^<(!doctype|html|head|body|\?xml)/i.test(trimmed) || (contentType ?? '').includes('text/html');
  if (looksHtml) {
    const title = /<title>([^<]{0,80})<\/title>/i.exec(trimmed)?.[1]?.trim();
    return title ? { kind: 'html', title: safeSnippet(title) } : { kind: 'html' };
  }
  try {
    return { kind: 'json', value: JSON.parse(trimmed) as unknown };
  } catch {
    return { kind: 'malformed', snippet: safeSnippet(trimmed) };
  }
}

export function safeSnippet(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return clean.length > MAX_SNIPPET ? `${clean.slice(0, MAX_SNIPPET)}…` : clean;
}
