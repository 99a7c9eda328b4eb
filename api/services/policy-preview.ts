/**
 * Previewing a policy change: the due instants it gives for sample events, and how many running
 * workflows (and open tasks) it would move — every open task of the subtree recomputed under the current
 * and the proposed policy of its county.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { loadEffectivePolicy } from '../../db/policy-store';
import { patches, tasks } from '../../db/schema';
import { taskDueFacts } from '../../db/task-due-facts';
import { dueAtFor } from '../../domain/deadlines';
import type { PolicyOverrides, RegionPolicy, ReviewLevel } from '../../domain/policy';
import { withinRegion } from '../visibility';
import type { BatchKind, TaskType } from '../../domain/types';

export interface PreviewSample {
  taskType: Exclude<TaskType, 'military_report'>;
  level?: ReviewLevel;
  batchKind: BatchKind;
  issuedAt: string;
  eventAt?: string;
  imagedAt?: string;
}

const dueUnder = (
  policy: RegionPolicy,
  s: { type: TaskType; level?: ReviewLevel; batchKind: BatchKind; issuedAt: Date | string; eventAt: Date | string; imagedAt?: Date | string | null },
) => dueAtFor(policy, s, s);

/**
 * `includeMilitary`: count the workflows of military patches among those moved — only for a reader holding the
 * classified-handling permission; otherwise they are in no count (000 二(二); 002 三(三); 004 三(二)).
 */
export async function previewPolicy(
  db: Db,
  regionCode: string,
  overrides: PolicyOverrides,
  samples: PreviewSample[],
  opts: { includeMilitary?: boolean } = {},
) {
  const current = await loadEffectivePolicy(db, regionCode);
  const proposed = await loadEffectivePolicy(db, regionCode, { regionCode, overrides });
  const sampleDues = samples.map((s) => {
    const args = { type: s.taskType, level: s.level, batchKind: s.batchKind, issuedAt: s.issuedAt, eventAt: s.eventAt ?? s.issuedAt, imagedAt: s.imagedAt };
    return { ...s, currentDueAt: dueUnder(current.policy, args).toISOString(), proposedDueAt: dueUnder(proposed.policy, args).toISOString() };
  });

  // Open tasks of the subtree; extended ones keep their granted date whatever the policy says.
  const open = await db
    .select({ ...taskDueFacts, dueAt: tasks.dueAt })
    .from(tasks)
    .innerJoin(patches, eq(patches.code, tasks.patchCode))
    .where(
      and(
        eq(tasks.status, 'open'),
        eq(tasks.extended, false),
        withinRegion(patches.countyCode, regionCode),
        opts.includeMilitary ? undefined : eq(patches.military, false),
      ),
    );

  const policies = new Map<string, RegionPolicy>();
  const proposedFor = async (county: string) => {
    let p = policies.get(county);
    if (!p) {
      p = (await loadEffectivePolicy(db, county, { regionCode, overrides })).policy;
      policies.set(county, p);
    }
    return p;
  };
  const movedWorkflows = new Set<string>();
  let movedTasks = 0;
  // Where the moved tasks' dates go (for the confirmation before applying): the range of the new due
  // instants, how many come earlier, and how many would be overdue at once.
  let newDueFrom: number | undefined;
  let newDueTo: number | undefined;
  let earlier = 0;
  let overdueAtOnce = 0;
  const now = Date.now();
  for (const t of open) {
    const policy = await proposedFor(t.countyCode);
    const due = dueUnder(policy, {
      type: t.type as TaskType,
      level: (t.level ?? undefined) as ReviewLevel | undefined,
      batchKind: t.batchKind as BatchKind,
      issuedAt: t.issuedAt,
      eventAt: t.eventAt,
      imagedAt: t.imagedAt,
    });
    if (!t.dueAt || due.getTime() !== t.dueAt.getTime()) {
      movedTasks++;
      movedWorkflows.add(t.workflowId);
      const at = due.getTime();
      newDueFrom = newDueFrom === undefined ? at : Math.min(newDueFrom, at);
      newDueTo = newDueTo === undefined ? at : Math.max(newDueTo, at);
      if (t.dueAt && at < t.dueAt.getTime()) earlier++;
      if (at < now) overdueAtOnce++;
    }
  }
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    regionCode,
    samples: sampleDues,
    effective: proposed.policy,
    affected: {
      workflows: movedWorkflows.size,
      tasks: movedTasks,
      openTasksInSubtree: open.length,
      newDueFrom: iso(newDueFrom),
      newDueTo: iso(newDueTo),
      earlier,
      overdueAtOnce,
    },
  };
}
