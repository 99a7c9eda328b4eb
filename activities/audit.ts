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
