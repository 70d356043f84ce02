/** An error the fake answers with, in Discord's JSON error format (`{ message, code, errors? }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

/** One field failure inside a 50035 "Invalid Form Body", e.g. path ['embeds', 0, 'description']. */
export interface FieldError {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Builds Discord's nested `errors` tree: `{ embeds: { 0: { description: { _errors: [...] } } } }`. */
export function invalidFormBody(failures: FieldError[]): ApiError {
  const errors: Record<string, unknown> = {};
  for (const f of failures) {
    let node = errors;
    for (const key of f.path) {
      const k = String(key);
      const next = node[k];
      if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
      else {
        const created: Record<string, unknown> = {};
        node[k] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    node._errors = [...list, { code: f.code, message: f.message }];
  }
  return new ApiError(400, 50035, 'Invalid Form Body', errors);
}

export const Errors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized'),
  notFound: () => new ApiError(404, 0, '404: Not Found'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new ApiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message'),
  unknownRole: () => new ApiError(404, 10011, 'Unknown Role'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new ApiError(404, 10062, 'Unknown interaction'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message'),
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token'),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.'),
  invalidJson: () => new ApiError(400, 50109, 'The request body contains invalid JSON.'),
  cannotEditOthers: () => new ApiError(403, 50005, 'Cannot edit a message authored by another user'),
} as const;
