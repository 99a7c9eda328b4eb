/**
 * The error every API check throws: a code (domain/errors.ts, which gives its HTTP status), the message in
 * Chinese and its English twin, and the field issues. Answered by api/errors.ts; here apart so that the
 * safety nets of api/request-errors.ts, which api/errors.ts calls, build it without a cycle.
 */
import { ERROR_STATUS, type ErrorCode } from '../domain/errors';

export interface FieldIssue {
  path: string;
  /** Chinese: the server's own text. */
  message: string;
  /** The English twin, answered instead of `message` to a request asking for English. */
  messageEn?: string;
  /** What is wrong, stable across languages and wordings. */
  code?: string;
  /** The values the message names (a minimum, a patch code, a date…). */
  params?: Record<string, unknown>;
  /** A region rule the payload breaks (RuleViolation), e.g. "other_forbidden". */
  rule?: string;
}

/** A field issue with its twin and code. */
export const fieldIssue = (path: string, code: string, message: string, messageEn: string, params?: Record<string, unknown>): FieldIssue => ({
  path,
  code,
  message,
  messageEn,
  ...(params ? { params } : {}),
});

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly messageEn: string = message,
    readonly issues: FieldIssue[] = [],
    readonly statusOverride?: number,
  ) {
    super(message);
  }
  get status(): number {
    return this.statusOverride ?? ERROR_STATUS[this.code];
  }
}
