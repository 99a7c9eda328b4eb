/**
 * "A dependency is unavailable for now": PostgreSQL stopped, restarting or unreachable, or the Temporal
 * frontend not answering. Such an error is an interruption, not a fault of the request or of the code: the
 * API answers 503 with Retry-After (api/errors.ts), and import jobs wait and resume (api/services/import-runner.ts).
 *
 * Recognised anywhere in the error's `cause` chain (drizzle wraps the driver's error in DrizzleQueryError;
 * Temporal's client wraps the gRPC status in ServiceError):
 * - the driver's own connection errors (postgres.js: CONNECTION_CLOSED, CONNECTION_ENDED, …, CONNECT_TIMEOUT);
 * - the socket's (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, …);
 * - the server's SQLSTATEs of class 08 (connection exception), 57P01–57P03 (admin or crash shutdown, cannot
 *   connect now: a server stopping or starting) and 53300 (too many connections);
 * - gRPC UNAVAILABLE and DEADLINE_EXCEEDED from Temporal.
 */

export type UnavailableDependency = 'database' | 'temporal';

export interface Unavailable {
  dependency: UnavailableDependency;
  /** Seconds a client should wait before trying again (the Retry-After header). */
  retryAfterSeconds: number;
  message: string;
  messageEn: string;
}

const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** gRPC status codes: 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED. */
const GRPC_CODES = new Set([14, 4]);

export const RETRY_AFTER_SECONDS = 5;

function* chain(err: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (!err || typeof err !== 'object' || depth > 8) return;
  yield err as Record<string, unknown>;
  if (err instanceof AggregateError) for (const e of err.errors) yield* chain(e, depth + 1);
  yield* chain((err as { cause?: unknown }).cause, depth + 1);
}

/** Which dependency the error says is unavailable, or undefined when it is another error. */
export function unavailableDependency(err: unknown): UnavailableDependency | undefined {
  let grpcSeen = false;
  for (const e of chain(err)) {
    const code = e.code;
    if (typeof code === 'string') {
      if (DRIVER_CODES.has(code) || SOCKET_CODES.has(code)) return 'database';
      if (SQLSTATES.has(code) || (/^08[0-9A-Z]{3}$/.test(code) && e.name === 'PostgresError')) return 'database';
    }
    if (e.name === 'ServiceError' || 'metadata' in e) grpcSeen = true;
    if (typeof code === 'number' && GRPC_CODES.has(code) && (grpcSeen || 'details' in e)) return 'temporal';
    // The API's lazy Temporal connection, while the server is not there yet.
    if (typeof e.message === 'string' && /^(14 UNAVAILABLE|4 DEADLINE_EXCEEDED)\b|Failed to connect before the deadline/.test(e.message)) return 'temporal';
  }
  return undefined;
}

/** The 503 answer for an error that says a dependency is unavailable, or undefined for any other error. */
export function unavailable(err: unknown): Unavailable | undefined {
  const dependency = unavailableDependency(err);
  if (!dependency) return undefined;
  return dependency === 'database'
    ? {
        dependency,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        message: '数据库暂时不可用，请稍后重试',
        messageEn: 'the database is unavailable for now; try again later',
      }
    : {
        dependency,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        message: '流程服务暂时不可用，请稍后重试',
        messageEn: 'the workflow service is unavailable for now; try again later',
      };
}

/** True for an error that is an interruption (a dependency unavailable), which a retry after a while can overcome. */
export const isTransient = (err: unknown): boolean => unavailableDependency(err) !== undefined;

/**
 * Keeps a process up through a database connection's stray rejection: postgres.js can reject a
 * connection's pending write with CONNECTION_CLOSED where no caller awaits it when the server goes away
 * (seen when PostgreSQL stops under load; porsager/postgres#1208 is one such path). A lost database is an
 * outage to ride out (503s, /health, the import's lease), not a reason to exit; any other unhandled
 * rejection still ends the process, as Node does by default.
 */
export function rideOutDatabaseRejections(warn: (message: string) => void): void {
  process.on('unhandledRejection', (reason) => {
    if (unavailableDependency(reason) === 'database') {
      warn(`database connection lost outside any request (${(reason as Error)?.message ?? reason}); carrying on`);
      return;
    }
    throw reason;
  });
}
