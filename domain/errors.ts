/**
 * Error codes shared by the workflow's Update validators and the API, with the HTTP status each maps to.
 * The workflow throws ApplicationFailure with `type` = code and a Chinese message; the API answers with
 * the code, the message in the caller's language, and the status below.
 */
export const ERROR_STATUS = {
  TaskNotOpen: 409,
  TaskNotFound: 404,
  StaleVersion: 409,
  WorkflowClosed: 409,
  Forbidden: 403,
  RuleViolation: 422,
  InvalidPayload: 422,
  IdempotencyKeyReused: 422,
  NotFound: 404,
  Unauthorized: 401,
  TooManyRequests: 429,
  Conflict: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const isErrorCode = (v: unknown): v is ErrorCode => typeof v === 'string' && v in ERROR_STATUS;
