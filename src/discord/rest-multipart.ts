import { DefaultRestOptions, type RESTOptions } from 'discord.js';

/**
 * discord.js sends a message with files as a FormData body through undici's `request`, and that goes
 * through the process-wide undici dispatcher, which is installed by whichever copy of undici loads
 * first. When the app's own undici 7 (the venue adapters) loads before discord.js's bundled undici 6,
 * as it does when an account is on an HTTP venue (src/venues/registry.ts), that Agent is handed Node's built-in FormData, which it cannot encode
 * ("action is not a function"): every post with an attachment failed (summary charts, long tables, the
 * storm list). Encoding the form here, with Node's own Response, hands any dispatcher plain bytes.
 */
export const makeRequest: RESTOptions['makeRequest'] = async (url, init) => {
  const form: unknown = init.body;
  if (!(form instanceof FormData)) return DefaultRestOptions.makeRequest(url, init);
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  const headers: Record<string, string> = {};
  new Headers(init.headers as ConstructorParameters<typeof Headers>[0]).forEach((value, key) => {
    headers[key] = value;
  });
  headers['content-type'] = encoded.headers.get('content-type') ?? 'multipart/form-data';
  return DefaultRestOptions.makeRequest(url, { ...init, body, headers });
};
