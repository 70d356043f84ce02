import { z } from '@hono/zod-openapi';
import { DeltaOpsError, ErrorCode, type ErrorCodeValue } from '../core/errors.js';

/** Every error the API answers: `{success:false, error:{code, message}, timestamp}`. */
export const ErrorEnvelope = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.number().int().openapi({ description: 'A design.md §5 code (1001 … 3002), or the HTTP status for other errors (400, 404, 500)', example: 1001 }),
      message: z.string().openapi({ example: 'Unknown account "nope".' }),
    }),
    timestamp: z.number().int().openapi({ description: 'Epoch ms' }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorEnvelope>;

/** A success: `{success:true, data, timestamp}`. */
export function okEnvelope<T extends z.ZodType>(data: T): z.ZodObject<{ success: z.ZodLiteral<true>; data: T; timestamp: z.ZodNumber }> {
  return z.object({ success: z.literal(true), data, timestamp: z.number().int() });
}

/** HTTP statuses the API answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 411 | 413 | 415 | 429 | 500 | 502 | 503 | 504;

/** An error with the status to answer it with; its message is safe to show. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const STATUS_OF: Record<ErrorCodeValue, ErrorStatus> = {
  [ErrorCode.InvalidAccount]: 404,
  [ErrorCode.DeviationOverLimit]: 409,
  [ErrorCode.HedgePlanFailed]: 400,
  [ErrorCode.BlockedByRiskAlert]: 409,
  [ErrorCode.MarketDataUnavailable]: 503,
  [ErrorCode.VenueTimeout]: 504,
  [ErrorCode.ConnectionFailed]: 502,
  [ErrorCode.PermissionDenied]: 403,
  [ErrorCode.TooManyRequests]: 429,
};

/** A core error as the API answers it (the code is the contract's; the status follows from it). */
export function fromDeltaOpsError(err: DeltaOpsError): ApiError {
  return new ApiError(STATUS_OF[err.code], err.code, err.message);
}

export function errorBody(code: number, message: string, now: number): ErrorBody {
  return { success: false, error: { code, message }, timestamp: now };
}

/** The OpenAPI description of an error response. */
export const errorResponse = (description: string): { description: string; content: { 'application/json': { schema: typeof ErrorEnvelope } } } => ({
  description,
  content: { 'application/json': { schema: ErrorEnvelope } },
});
