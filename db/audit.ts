/**
 * The append-only audit trail. Every row has an event key chosen by its writer (a workflow's activity, the
 * API, the policy store), so a writer that is retried writes its row once. Here, below every writer, so that
 * each imports it downward.
 */
import type { Actor } from '../domain/types';
import type { DbOrTx } from './client';
import { auditLog } from './schema';

export interface AuditEntry {
  eventKey: string;
  actor: Pick<Actor, 'userId' | 'displayName'>;
  action: string;
  patchCode?: string;
  caseNo?: string;
  taskId?: string;
  before?: unknown;
  after?: unknown;
  workflowId?: string;
  runId?: string;
  /** The region the row concerns when it names no patch or case (a user's, a policy's); the database fills it otherwise. */
  regionCode?: string;
  /** About a holder of the classified-handling permission (rows of military patches are marked by the database). */
  classified?: boolean;
}

/** The actor of what a timer or the system did, not a person. */
export const SYSTEM_ACTOR = { userId: 0, displayName: '系统' } as const;

/**
 * The `patch.issued` row, one per patch (its key is the patch code). Written by whatever makes the patch
 * exist, on every attempt: the issuer after starting the workflow, and the workflow's first activity in the
 * transaction of its first task, so that an issuer stopped between the start and its audit insert (a database
 * outage, a crash) loses nothing; the key keeps it to one row.
 */
export function issuedEntry(
  p: { code: string; countyCode: string; category: string; batchCode?: string | null; issuedAt: Date | string },
  actor: AuditEntry['actor'],
  at: { workflowId: string; runId?: string },
): AuditEntry {
  return {
    eventKey: `issue:${p.code}`,
    actor,
    action: 'patch.issued',
    patchCode: p.code,
    after: { countyCode: p.countyCode, category: p.category, batchCode: p.batchCode ?? null, issuedAt: new Date(p.issuedAt).toISOString() },
    workflowId: at.workflowId,
    runId: at.runId,
  };
}

export async function writeAudit(db: DbOrTx, e: AuditEntry): Promise<void> {
  await db
    .insert(auditLog)
    .values({
      eventKey: e.eventKey,
      actorId: e.actor.userId || null,
      actorName: e.actor.displayName,
      action: e.action,
      patchCode: e.patchCode,
      caseNo: e.caseNo,
      taskId: e.taskId,
      before: e.before ?? null,
      after: e.after ?? null,
      workflowId: e.workflowId,
      runId: e.runId,
      regionCode: e.regionCode,
      classified: e.classified ?? false,
    })
    .onConflictDoNothing({ target: auditLog.eventKey });
}
