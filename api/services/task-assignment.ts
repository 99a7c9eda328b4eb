/** Work distribution through the task's workflow (the assignTask Update), for the task routes and bulk reassignment. */
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { users } from '../../db/schema';
import { assignTaskUpdate, type AssignTaskRequest, type AssignTaskResult } from '../../workflows/messages';
import { ApiError } from '../errors';
import { fromUpdateError } from '../temporal-errors';

/** A user as the assignTask validator checks them (an unknown id is an inactive nobody). */
export async function assigneeRecord(db: Db, userId: number): Promise<NonNullable<AssignTaskRequest['assignee']>> {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  if (!u) return { userId, displayName: '', role: '', regionCode: '', classified: false, active: false };
  return { userId: u.id, displayName: u.displayName, role: u.role, regionCode: u.regionCode, classified: u.classified, active: u.active };
}

/** Sends the Update to the task's workflow; the workflow's refusal is the API's answer. */
export async function sendAssignment(
  temporal: Client,
  task: { id: string; workflowId: string; status: string },
  req: Omit<AssignTaskRequest, 'taskId'>,
): Promise<AssignTaskResult> {
  if (task.status !== 'open') {
    throw new ApiError('TaskNotOpen', '该任务已不在办理中，不能认领或分派', `the task is ${task.status}; it cannot be claimed or assigned`);
  }
  return temporal.workflow
    .getHandle(task.workflowId)
    .executeUpdate(assignTaskUpdate, { args: [{ ...req, taskId: task.id }] })
    .catch((err: unknown) => {
      throw fromUpdateError(err) ?? err;
    });
}
