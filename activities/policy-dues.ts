/**
 * A policy change's due instants for a page of patch workflows, computed here at once. The fan-out records them
 * in the read model in three statements per page (the tasks, their patches, the trail) for the whole subtree
 * before it signals anyone, then computes them again page by page for the signals. Each workflow takes its
 * instants from the signal (workflows/tasks/policy.ts) instead of each recomputing and writing its own in a
 * transaction of its own: the change shows in the inbox and the statistics within seconds, and the workflows
 * re-arm their timers as the signals arrive.
 *
 * Only open tasks that are not extended (an extended task keeps the date it was granted) of patch workflows
 * (a case's deadlines anchor on its first patch, and its workflow recomputes them itself). Every write is
 * guarded and repeatable: a task closed or extended meanwhile is left alone, and so is one a newer policy
 * version reached first (two changes in quick succession); the trail row's key is the policy version and the
 * workflow; and the workflow recomputes whatever it finds computed from other facts.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loadEffectivePolicy } from '../db/policy-store';
import { auditLog, patches, tasks } from '../db/schema';
import { taskDueFacts } from '../db/task-due-facts';
import { dueAtFor } from '../domain/deadlines';
import type { PolicyDues } from '../domain/messages';
import type { ReviewLevel } from '../domain/policy';
import type { BatchKind, TaskType } from '../domain/types';
import { SYSTEM_ACTOR } from './audit';
import { escalateAfterMsOf, rulesOf } from './tasks';

interface ComputedDues {
  /** By workflow: what its signal carries. */
  dues: Map<string, PolicyDues>;
  /** By task: what the read model records. */
  values: { taskId: string; dueAt: Date; version: number }[];
  patchOf: Map<string, string>;
}

/**
 * Computes and records the due instants of the open tasks of `workflowIds` under the current policy of each
 * one's county; returns them by workflow. `now` is the fan-out's workflow clock: a task whose new instant is
 * later is no longer overdue.
 */
export async function recordPolicyDues(db: Db, input: { workflowIds: string[]; version: number; now: number }): Promise<Map<string, PolicyDues>> {
  const computed = await computePolicyDues(db, input);
  await writePolicyDues(db, computed, input);
  return computed.dues;
}

/** The due instants of the open tasks of `workflowIds` under the current policy of each one's county, by workflow. */
export async function computePolicyDues(db: Db, input: { workflowIds: string[]; version: number }): Promise<ComputedDues> {
  const rows = await db
    .select({ ...taskDueFacts, patchCode: patches.code })
    .from(tasks)
    .innerJoin(patches, eq(patches.code, tasks.patchCode))
    .where(and(inArray(tasks.workflowId, input.workflowIds), eq(tasks.status, 'open'), eq(tasks.extended, false), isNull(tasks.caseNo)));
  const out = new Map<string, PolicyDues>();
  const patchOf = new Map(rows.map((r) => [r.workflowId, r.patchCode]));
  const values: ComputedDues['values'] = [];
  if (rows.length === 0) return { dues: out, values, patchOf };

  const policies = new Map<string, Awaited<ReturnType<typeof loadEffectivePolicy>>>();
  for (const county of new Set(rows.map((r) => r.countyCode))) policies.set(county, await loadEffectivePolicy(db, county));

  for (const r of rows) {
    const { policy, version } = policies.get(r.countyCode)!;
    const subject = { issuedAt: r.issuedAt, imagedAt: r.imagedAt, batchKind: r.batchKind as BatchKind };
    const task = { type: r.type as TaskType, level: (r.level ?? undefined) as ReviewLevel | undefined, eventAt: r.eventAt };
    const dueAt = dueAtFor(policy, subject, task);
    const policyVersion = Math.max(input.version, version);
    values.push({ taskId: r.taskId, dueAt, version: policyVersion });
    let dues = out.get(r.workflowId);
    if (!dues) {
      dues = {
        policyVersion,
        subject: {
          countyCode: r.countyCode,
          batchKind: subject.batchKind,
          issuedAt: r.issuedAt.toISOString(),
          ...(r.imagedAt ? { imagedAt: r.imagedAt.toISOString() } : {}),
        },
        tasks: {},
        escalateAfterMs: escalateAfterMsOf(policy),
        rules: rulesOf(policy),
      };
      out.set(r.workflowId, dues);
    }
    dues.tasks[r.taskId] = { type: task.type, ...(task.level ? { level: task.level } : {}), eventAt: r.eventAt.toISOString(), dueAt: dueAt.toISOString() };
  }

  return { dues: out, values, patchOf };
}

/** Records computed instants: the tasks (guarded), their patches' due instant and overdue mark, a trail row per patch. */
async function writePolicyDues(db: Db, { dues: out, values, patchOf }: ComputedDues, input: { version: number; now: number }): Promise<void> {
  if (values.length === 0) return;
  const now = new Date(input.now);
  const patchCodes = [...new Set(patchOf.values())];
  const list = sql.join(
    values.map((v) => sql`(${v.taskId}, ${v.dueAt.toISOString()}::timestamptz, ${v.version}::int)`),
    sql`, `,
  );
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      update ${tasks} set
        due_at = v.due_at,
        policy_version = v.version,
        overdue = case when v.due_at > ${now.toISOString()}::timestamptz then false else ${tasks.overdue} end,
        overdue_at = case when v.due_at > ${now.toISOString()}::timestamptz then null else ${tasks.overdueAt} end
      from (values ${list}) as v(id, due_at, version)
      where ${tasks.id} = v.id and ${tasks.status} = 'open' and not ${tasks.extended} and coalesce(${tasks.policyVersion}, 0) <= v.version`);
    // The patch is due when its earliest open task is, and overdue while any open task is (as every task write keeps it).
    await tx
      .update(patches)
      .set({
        dueAt: sql`(select min(t.due_at) from ${tasks} t where t.patch_code = ${patches.code} and t.status = 'open')`,
        overdue: sql`exists(select 1 from ${tasks} t where t.patch_code = ${patches.code} and t.status = 'open' and t.overdue)`,
        updatedAt: new Date(),
      })
      .where(inArray(patches.code, patchCodes));
    await tx
      .insert(auditLog)
      .values(
        [...out].map(([workflowId, dues]) => ({
          eventKey: `policy-dues:${input.version}:${workflowId}`,
          actorId: null,
          actorName: SYSTEM_ACTOR.displayName,
          action: 'deadlines.recomputed',
          patchCode: patchOf.get(workflowId),
          after: { policyVersion: dues.policyVersion, dueAt: Object.fromEntries(Object.entries(dues.tasks).map(([id, t]) => [id, t.dueAt])) },
          workflowId,
        })),
      )
      .onConflictDoNothing({ target: auditLog.eventKey });
  });
}
