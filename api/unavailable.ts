/**
 * Temporal not answering (its server stopped or restarting, the connection not yet back): the API
 * answers 503 with Retry-After instead of 500, and the caller tries again when the server is back.
 */
import { ServiceError } from '@temporalio/client';

/** gRPC status codes that mean "the server is not there (yet)": UNAVAILABLE, DEADLINE_EXCEEDED. */
const UNAVAILABLE_CODES = new Set([14, 4]);

/** Whether `err` (or an error it wraps) says the Temporal server could not be reached. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && UNAVAILABLE_CODES.has(code) && (e instanceof ServiceError || 'details' in (e as object) || 'metadata' in (e as object))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && /^(14 UNAVAILABLE|4 DEADLINE_EXCEEDED)\b|Failed to connect before the deadline/.test(message)) return true;
  }
  return false;
}

/** Seconds a caller should wait before trying again. */
export const TEMPORAL_RETRY_AFTER_SECONDS = 5;
