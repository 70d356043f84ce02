import type { IncomingMessage } from 'node:http';

/** A file part of a multipart/form-data request, kept byte for byte. */
export interface CapturedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface ParsedBody {
  raw: Buffer;
  contentType: string | null;
  /** The JSON body, or the `payload_json` part of a multipart body; undefined when absent. */
  json: unknown;
  /** Non-file multipart fields other than payload_json. */
  fields: Record<string, string>;
  files: CapturedFile[];
}

export class InvalidBodyError extends Error {}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidBodyError('The request body contains invalid JSON.');
  }
}

/** Parses JSON and multipart bodies the way Discord accepts them (multipart carries `payload_json`). */
export async function parseBody(raw: Buffer, contentType: string | null): Promise<ParsedBody> {
  const result: ParsedBody = { raw, contentType, json: undefined, fields: {}, files: [] };
  if (raw.length === 0) return result;
  if (contentType?.startsWith('multipart/form-data')) {
    // The platform's fetch Response already implements a spec-compliant multipart parser.
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw new InvalidBodyError('The multipart body could not be parsed.');
    }
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') result.json = parseJson(value);
        else result.fields[field] = value;
      } else {
        result.files.push({
          field,
          filename: value.name,
          contentType: value.type || 'application/octet-stream',
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return result;
  }
  result.json = parseJson(raw.toString('utf8'));
  return result;
}
