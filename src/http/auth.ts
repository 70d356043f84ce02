import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '../core/errors.js';
import { ApiError } from './envelope.js';

/** What a request may do: `admin` also reads. */
export type Access = 'read' | 'admin';

export interface Tokens {
  /** Without it, reads need no token (the server then listens on loopback only; see src/config). */
  read?: string;
  admin?: string;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Equal-length digests compared in constant time: neither the token nor its length leaks by timing. */
function same(given: Buffer, expected: Buffer | undefined): boolean {
  return expected !== undefined && timingSafeEqual(given, expected);
}

/**
 * Bearer tokens from the environment. `authenticate` answers the request's access or throws 401
 * (error 3001): a token that matches neither, or no token when a read token is configured.
 */
export class BearerAuth {
  private readonly read: Buffer | undefined;
  private readonly admin: Buffer | undefined;

  constructor(private readonly tokens: Tokens) {
    this.read = tokens.read ? digest(tokens.read) : undefined;
    this.admin = tokens.admin ? digest(tokens.admin) : undefined;
  }

  /** Reads are open (no read token configured: loopback only). */
  get openReads(): boolean {
    return this.read === undefined;
  }

  authenticate(authorization: string | undefined): Access {
    const m = authorization === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(authorization);
    if (!m) {
      if (authorization === undefined && this.openReads) return 'read';
      throw unauthorized(authorization === undefined ? 'A bearer token is required (Authorization: Bearer <HTTP_READ_TOKEN>).' : 'Malformed Authorization header: use "Bearer <token>".');
    }
    const given = digest(m[1]!);
    // Both comparisons always run: which token matched does not show in the timing either.
    const isAdmin = same(given, this.admin);
    const isRead = same(given, this.read);
    if (isAdmin) return 'admin';
    if (isRead) return 'read';
    throw unauthorized('Invalid bearer token.');
  }

  /** Throws 403 (3001) unless `access` is admin. */
  requireAdmin(access: Access): void {
    if (access === 'admin') return;
    throw new ApiError(403, ErrorCode.PermissionDenied, this.tokens.admin ? 'Permission denied: this route needs the admin token (HTTP_ADMIN_TOKEN).' : 'Permission denied: admin routes are off until HTTP_ADMIN_TOKEN is set.');
  }
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, ErrorCode.PermissionDenied, message, { 'www-authenticate': 'Bearer realm="delta-ops"' });
}
