/**
 * The audit trail as activities write it: the writer (db/audit.ts) and the workflow execution each row names.
 */
import { Context } from '@temporalio/activity';
import type { DbOrTx } from '../db/client';

export type { DbOrTx };
export { type AuditEntry, issuedEntry, SYSTEM_ACTOR, writeAudit } from '../db/audit';

/** The workflow execution the running activity works for: every audit row names it. */
export function execution() {
  const info = Context.current().info;
  return { workflowId: info.workflowExecution?.workflowId ?? '', runId: info.workflowExecution?.runId ?? '' };
}

/**
 * When the workflow ordered this activity, on the server's clock (the first attempt's schedule: a retry
 * keeps it). A record stamped with it belongs to the instant of the event, not of the write — the same
 * under a time-skipping server, where the workflow's clock runs ahead of the database's.
 */
export function orderedAt(): Date {
  const ms = Context.current().info.scheduledTimestampMs;
  // A mock activity environment has no schedule (its timestamp is 1): then the write's instant.
  return ms > Date.UTC(2000, 0, 1) ? new Date(ms) : new Date();
}
