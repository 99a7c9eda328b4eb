/**
 * Work distribution in the read model: the holder the workflow decided on (claim, release, assignment)
 * written to tasks.assignee_id with its audit entry, once per event key.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, tasks } from '../db/schema';
import type { Actor } from '../domain/types';
import type { TaskHolder } from '../domain/messages';
import { writeAudit } from './audit';
import { execution } from './audit';
import { caseNoOf, patchCodeOf, type TaskSubject } from './tasks';

export interface RecordAssignmentInput {
  taskId: string;
  eventKey: string;
  subject: TaskSubject;
  actor: Actor;
  action: 'task.claimed' | 'task.unclaimed' | 'task.assigned';
  before: TaskHolder | null;
  after: TaskHolder | null;
  bulk?: boolean;
}

export function createAssignmentActivities(db: Db) {
  return {
    async recordAssignment(input: RecordAssignmentInput): Promise<void> {
      const { workflowId, runId } = execution();
      await db.transaction(async (tx) => {
        // A retry after the commit finds its entry and writes nothing again.
        const [done] = await tx.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.eventKey, input.eventKey));
        if (done) return;
        await tx
          .update(tasks)
          .set({ assigneeId: input.after?.userId ?? null })
          .where(eq(tasks.id, input.taskId));
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: input.actor,
          action: input.action,
          patchCode: patchCodeOf(input.subject),
          caseNo: caseNoOf(input.subject),
          taskId: input.taskId,
          before: { assigneeId: input.before?.userId ?? null },
          after: {
            assigneeId: input.after?.userId ?? null,
            ...(input.after ? { assigneeName: input.after.displayName } : {}),
            ...(input.bulk ? { bulk: true } : {}),
          },
          workflowId,
          runId,
        });
      });
    },
  };
}
