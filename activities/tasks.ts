/**
 * The read model of human tasks: opened and closed as the workflows say, with due instants from the
 * region's policy. Every write is an idempotent upsert keyed by task id or event key.
 */
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loadEffectivePolicy } from '../db/policy-store';
import { patches, regions, tasks, users } from '../db/schema';
import { computeDue, dueAtFor, formatLocalDate } from '../domain/deadlines';
import type { Determination, DeterminationRules } from '../domain/legality';
import type { RegionPolicy, ReviewLevel } from '../domain/policy';
import { regionLevel } from '../domain/regions';
import { levelRegion } from '../domain/review';
import type { Actor, BatchKind, Legality, PatchStage, Role, TaskType } from '../domain/types';
import type { NoticeParams } from '../domain/notifications';
import { type DbOrTx, execution, issuedEntry, SYSTEM_ACTOR, writeAudit } from './audit';
import { notify } from '../db/notifications';
import { applyCaseUpdate, type CaseUpdate } from './case-read-model';

export type { CaseUpdate };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What a task belongs to: a patch (the default), or a case — whose deadlines anchor on its first patch's
 * issuance (Liaocheng's 15 January of the next year, …).
 */
export interface TaskSubject {
  kind?: 'patch' | 'case';
  /** The patch code, or the case number. */
  code: string;
  /** For a case: its first patch. */
  patchCode?: string;
  countyCode: string;
  batchKind: BatchKind;
  issuedAt: string;
  imagedAt?: string;
}

export const patchCodeOf = (s: TaskSubject) => (s.kind === 'case' ? s.patchCode : s.code);
export const caseNoOf = (s: TaskSubject) => (s.kind === 'case' ? s.code : undefined);

/** A notice's facts about its task (domain/notifications.ts): type, subject and due day. */
const noticeParams = (s: TaskSubject, task: { type: string; dueAt: Date | null }): NoticeParams => ({
  taskType: task.type as TaskType,
  ...(patchCodeOf(s) ? { patchCode: patchCodeOf(s) } : {}),
  ...(s.kind === 'case' ? { caseNo: s.code } : {}),
  ...(task.dueAt ? { dueOn: formatLocalDate(task.dueAt) } : {}),
});

const regionName = async (db: DbOrTx, code: string): Promise<string | undefined> =>
  (await db.select({ name: regions.name }).from(regions).where(eq(regions.code, code)))[0]?.name;

/**
 * The user who closed the latest completed task of the patch among `types` (in `regionCode`, when given),
 * while they still act for that region in that role — or undefined: the notice then goes to the region's role.
 */
async function lastHandler(db: DbOrTx, patchCode: string, types: TaskType[], regionCode: string, role: Role): Promise<number | undefined> {
  const [last] = await db
    .select({ userId: tasks.closedBy })
    .from(tasks)
    .where(
      and(
        eq(tasks.patchCode, patchCode),
        inArray(tasks.type, types),
        eq(tasks.regionCode, regionCode),
        eq(tasks.status, 'completed'),
        isNotNull(tasks.closedBy),
      ),
    )
    .orderBy(desc(tasks.closedAt))
    .limit(1);
  if (!last?.userId) return undefined;
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, last.userId), eq(users.regionCode, regionCode), eq(users.role, role), eq(users.active, true)));
  return user?.id;
}

/**
 * Closing the loop between the county and the reviewing level (docs/domain.md §3): a task opened by a send-back
 * (退回修正) tells the officer who filed the determination, with the reason; a review opened by the corrected
 * answer (修正后重新上报) tells the reviewer who sent it back. Each by name when that user still acts for the
 * region, otherwise to the region's officers / reviewers; keyed by the opening's event key, so once.
 */
async function notifyLoop(db: DbOrTx, input: OpenTaskInput, dueAt: Date | null): Promise<void> {
  const patchCode = patchCodeOf(input.subject);
  const ctx = input.context ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  if (input.subject.kind === 'case') {
    if (input.type === 'rectification' && str(ctx.rejectedBy)) await notifyRectificationRejected(db, input, dueAt);
    return;
  }
  if (!patchCode) return;
  if (input.type === 'correction' && input.level) {
    const from = levelRegion(input.level, input.subject.countyCode);
    const userId = await lastHandler(db, patchCode, ['verification', 'correction'], input.regionCode, 'officer');
    await notify(db, {
      key: `${input.eventKey}:sent_back`,
      regionCode: input.regionCode,
      role: 'officer',
      userId: userId ?? null,
      kind: 'sent_back',
      params: {
        ...noticeParams(input.subject, { type: input.type, dueAt }),
        regionCode: from,
        regionName: await regionName(db, from),
        ...(str(ctx.reason) ? { reason: str(ctx.reason) } : {}),
        ...(str(ctx.sentBackBy) ? { by: str(ctx.sentBackBy) } : {}),
      },
      patchCode,
      taskId: input.taskId,
      restricted: input.restricted,
    });
  } else if (input.type === 'review' && ctx.resubmitted) {
    const county = input.subject.countyCode;
    const userId = await lastHandler(db, patchCode, ['review'], input.regionCode, 'reviewer');
    await notify(db, {
      key: `${input.eventKey}:resubmitted`,
      regionCode: input.regionCode,
      role: 'reviewer',
      userId: userId ?? null,
      kind: 'resubmitted',
      params: {
        ...noticeParams(input.subject, { type: input.type, dueAt }),
        regionCode: county,
        regionName: await regionName(db, county),
        ...(str(ctx.resubmittedBy) ? { by: str(ctx.resubmittedBy) } : {}),
      },
      patchCode,
      taskId: input.taskId,
      restricted: input.restricted,
    });
  }
}

/**
 * A case's rectification sent back (县级初验 / 市级验收 / 省级确认 not passed, or an on-site check that did not
 * confirm it, 001 三(四)): the county officer who filed the last rectification hears it, with the reason.
 */
async function notifyRectificationRejected(db: DbOrTx, input: OpenTaskInput, dueAt: Date | null): Promise<void> {
  const ctx = input.context ?? {};
  const county = input.subject.countyCode;
  const level = String(ctx.rejectedBy);
  const from = level === 'city' || level === 'province' ? levelRegion(level, county) : county;
  const [last] = await db
    .select({ userId: tasks.closedBy })
    .from(tasks)
    .where(and(eq(tasks.caseNo, input.subject.code), eq(tasks.type, 'rectification'), eq(tasks.status, 'completed'), isNotNull(tasks.closedBy)))
    .orderBy(desc(tasks.closedAt))
    .limit(1);
  const [user] = last?.userId
    ? await db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, last.userId), eq(users.regionCode, input.regionCode), eq(users.role, 'officer'), eq(users.active, true)))
    : [];
  await notify(db, {
    key: `${input.eventKey}:rectification_rejected`,
    regionCode: input.regionCode,
    role: 'officer',
    userId: user?.id ?? null,
    kind: 'rectification_rejected',
    params: {
      ...noticeParams(input.subject, { type: input.type, dueAt }),
      regionCode: from,
      regionName: await regionName(db, from),
      ...(typeof ctx.reason === 'string' && ctx.reason ? { reason: ctx.reason } : {}),
    },
    patchCode: patchCodeOf(input.subject),
    taskId: input.taskId,
    restricted: input.restricted,
  });
}

export interface PatchUpdate {
  stage?: PatchStage;
  legality?: Legality | null;
  determination?: Determination | null;
  directDetermination?: boolean;
  countyLegality?: Legality;
  concealed?: boolean;
  determinedLevel?: 'county' | ReviewLevel;
  sendBackCount?: number;
  onsiteChecks?: unknown;
  caseNo?: string;
  /** The mineral violation's own case (地矿同核). */
  mineralCaseNo?: string;
  reviewDraws?: unknown;
  /** Set closed_at to now. */
  closed?: boolean;
}

/** Task types whose form files a determination: their context carries the region's rules. */
const DETERMINATION_TASKS: TaskType[] = ['verification', 'correction', 'direct_determination', 'onsite_check'];

export interface OpenTaskInput {
  taskId: string;
  eventKey: string;
  subject: TaskSubject;
  type: TaskType;
  regionCode: string;
  role: Role;
  level?: ReviewLevel;
  restricted: boolean;
  eventAt: string;
  context?: Record<string, unknown>;
  /** Patch fields that change as this task opens (its new stage, …). */
  patchUpdate?: PatchUpdate;
  /** Case fields that change as this task opens. */
  caseUpdate?: CaseUpdate;
  actor?: Pick<Actor, 'userId' | 'displayName'>;
  /** The patch's first task: write its `patch.issued` audit row too (idempotent, by the row's key). */
  issuance?: boolean;
}

export interface OpenTaskResult {
  dueAt: string;
  escalateAfterMs: number;
  policyVersion: number;
  rules: DeterminationRules;
  /**
   * For a rectification plan: the latest date its deadline may name, "YYYY-MM-DD" — the region's rectification
   * cut-off (Liaocheng: 15 January of the next year, 003 三(四); Jiangmen: 31 December, 002 三(二)).
   */
  latestDate?: string;
}

/** How long after a task's due instant it escalates, under the region's policy. */
export const escalateAfterMsOf = (policy: RegionPolicy): number => policy.escalation.afterDays * DAY_MS;

export const rulesOf = (policy: RegionPolicy): DeterminationRules => ({
  forbidOtherFor: policy.verification.forbidOtherFor,
  farmlandFlags: policy.verification.farmlandFlags,
  evidence: policy.verification.evidence,
  mineral: true,
  // Only when a rule tests it: the rules travel with the task, and an answer is asked only where it decides.
  ...(onsiteRulesTestingNewStructures(policy).length ? { newStructures: onsiteRulesTestingNewStructures(policy) } : {}),
});

const onsiteRulesTestingNewStructures = (policy: RegionPolicy) =>
  Object.values(policy.onsiteChecks).flatMap((rules) => (rules ?? []).filter((r) => r.newStructures));

export interface CloseTaskInput {
  taskId: string;
  eventKey: string;
  /** The workflow's clock when the task closed. */
  at?: number;
  subject: TaskSubject;
  status: 'completed' | 'cancelled' | 'expired';
  action: string;
  actor: Actor;
  result?: unknown;
  patchUpdate?: PatchUpdate;
  caseUpdate?: CaseUpdate;
}

export interface DeadlineTaskRef {
  taskId: string;
  type: TaskType;
  level?: ReviewLevel;
  eventAt: string;
}

/** Writes a task subject's read-model changes and refreshes the due instant and overdue mark of its patch (and case). */
async function applySubjectUpdate(db: DbOrTx, subject: TaskSubject, update: { patchUpdate?: PatchUpdate; caseUpdate?: CaseUpdate }, workflowId: string) {
  const patchCode = patchCodeOf(subject);
  if (patchCode) await applyPatchUpdate(db, patchCode, update.patchUpdate, subject.kind === 'case' ? undefined : workflowId);
  const caseNo = caseNoOf(subject);
  if (caseNo) await applyCaseUpdate(db, caseNo, update.caseUpdate);
}

async function applyPatchUpdate(db: DbOrTx, patchCode: string, update: PatchUpdate | undefined, workflowId: string | undefined) {
  await db
    .update(patches)
    .set({
      ...(update?.stage !== undefined && { stage: update.stage }),
      ...(update?.legality !== undefined && { legality: update.legality }),
      ...(update?.determination !== undefined && { determination: update.determination }),
      ...(update?.directDetermination !== undefined && { directDetermination: update.directDetermination }),
      ...(update?.reviewDraws !== undefined && { reviewDraws: update.reviewDraws }),
      ...(update?.countyLegality !== undefined && { countyLegality: update.countyLegality }),
      ...(update?.concealed !== undefined && { concealed: update.concealed }),
      ...(update?.determinedLevel !== undefined && { determinedLevel: update.determinedLevel }),
      ...(update?.sendBackCount !== undefined && { sendBackCount: update.sendBackCount }),
      ...(update?.onsiteChecks !== undefined && { onsiteChecks: update.onsiteChecks }),
      ...(update?.caseNo !== undefined && { caseNo: update.caseNo }),
      ...(update?.mineralCaseNo !== undefined && { mineralCaseNo: update.mineralCaseNo }),
      ...(update?.closed && { closedAt: new Date() }),
      ...(workflowId && { workflowId }),
      // The patch is due when its earliest open task is, and overdue while any open task is.
      dueAt: sql`(select min(${tasks.dueAt}) from ${tasks} where ${tasks.patchCode} = ${patchCode} and ${tasks.status} = 'open')`,
      overdue: sql`exists(select 1 from ${tasks} where ${tasks.patchCode} = ${patchCode} and ${tasks.status} = 'open' and ${tasks.overdue})`,
      updatedAt: new Date(),
    })
    .where(eq(patches.code, patchCode));
}

export function createTaskActivities(db: Db) {
  /** `conn`: the transaction a caller is in, so that it never waits for a second pooled connection. */
  async function dueFor(subject: TaskSubject, ref: Omit<DeadlineTaskRef, 'taskId'>, conn: DbOrTx = db) {
    const { policy, version } = await loadEffectivePolicy(conn, subject.countyCode);
    const dueAt = dueAtFor(policy, subject, ref);
    return { dueAt, version, policy };
  }

  /**
   * The next follow-up of an overdue task, when the region's policy follows its type up on a cycle: one cycle
   * after the instant the previous step was due (`from`, so that the dates do not drift with when a timer
   * happened to fire), and after `now`.
   */
  async function nextFollowUp(
    conn: DbOrTx,
    subject: TaskSubject,
    type: TaskType,
    from: number | undefined,
    now: number | undefined,
  ): Promise<string | undefined> {
    if (from === undefined || now === undefined) return undefined;
    const { policy } = await loadEffectivePolicy(conn, subject.countyCode);
    const followUp = policy.escalation.followUp;
    if (!followUp?.taskTypes.includes(type)) return undefined;
    let at = from;
    for (let i = 0; i < 1000 && at <= now; i++) {
      const next = computeDue(followUp.every, { issuedAt: subject.issuedAt, imagedAt: subject.imagedAt, eventAt: at }).getTime();
      if (next <= at) return undefined; // a rule that does not move on (0 days) is no cycle
      at = next;
    }
    return at > now ? new Date(at).toISOString() : undefined;
  }

  return {
    async openTask(input: OpenTaskInput): Promise<OpenTaskResult> {
      const { workflowId, runId } = execution();
      const { dueAt, version, policy } = await dueFor(input.subject, input);
      const rules = rulesOf(policy);
      // A rectification plan may not plan beyond the region's rectification cut-off: the form starts from it.
      const latestDate =
        input.type === 'rectification_plan' ? formatLocalDate(dueAtFor(policy, input.subject, { type: 'rectification', eventAt: input.eventAt })) : undefined;
      // The form of a determination task shows the region's rules (required farmland answers, …).
      const context = DETERMINATION_TASKS.includes(input.type)
        ? { ...input.context, rules }
        : latestDate
          ? { ...input.context, rectificationDueBy: latestDate }
          : (input.context ?? null);
      const result = await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(tasks)
          .values({
            id: input.taskId,
            workflowId,
            patchCode: patchCodeOf(input.subject),
            caseNo: caseNoOf(input.subject),
            type: input.type,
            regionCode: input.regionCode,
            role: input.role,
            level: input.level ?? null,
            restricted: input.restricted,
            eventAt: new Date(input.eventAt),
            dueAt,
            policyVersion: version,
            context,
          })
          .onConflictDoNothing({ target: tasks.id })
          .returning({ dueAt: tasks.dueAt });
        // A retry finds the row it wrote before: answer with the due instant already recorded.
        const recorded = inserted[0] ?? (await tx.select({ dueAt: tasks.dueAt }).from(tasks).where(eq(tasks.id, input.taskId)))[0];
        await applySubjectUpdate(tx, input.subject, input, workflowId);
        // The patch's issuance, before its first task in the trail (the issuer may have written it already).
        if (input.issuance && input.subject.kind !== 'case') {
          const [issued] = await tx.select().from(patches).where(eq(patches.code, input.subject.code));
          if (issued) await writeAudit(tx, issuedEntry(issued, input.actor ?? SYSTEM_ACTOR, { workflowId, runId }));
        }
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: input.actor ?? SYSTEM_ACTOR,
          action: `${input.type}.opened`,
          patchCode: patchCodeOf(input.subject),
          caseNo: caseNoOf(input.subject),
          taskId: input.taskId,
          after: {
            type: input.type,
            regionCode: input.regionCode,
            dueAt: recorded.dueAt,
            stage: input.patchUpdate?.stage ?? input.caseUpdate?.status,
            context: input.context,
          },
          workflowId,
          runId,
        });
        await notifyLoop(tx, input, recorded.dueAt ?? dueAt);
        return recorded.dueAt ?? dueAt;
      });
      return {
        dueAt: result.toISOString(),
        escalateAfterMs: escalateAfterMsOf(policy),
        policyVersion: version,
        rules,
        ...(latestDate ? { latestDate } : {}),
      };
    },

    async closeTask(input: CloseTaskInput): Promise<void> {
      const { workflowId, runId } = execution();
      await db.transaction(async (tx) => {
        const [before] = await tx.select({ status: tasks.status, type: tasks.type, dueAt: tasks.dueAt }).from(tasks).where(eq(tasks.id, input.taskId));
        const closedAt = new Date(input.at ?? Date.now());
        await tx
          .update(tasks)
          .set({
            status: input.status,
            result: input.result ?? null,
            closedAt,
            closedBy: input.actor.userId || null,
            closedByName: input.actor.displayName,
          })
          .where(and(eq(tasks.id, input.taskId), eq(tasks.status, 'open')));
        await applySubjectUpdate(tx, input.subject, input, workflowId);
        if (before?.type === 'verification' && input.status === 'completed' && before.dueAt && before.status === 'open') {
          // 月清 is counted from the patch row: was the verification filed by its deadline?
          await tx
            .update(patches)
            .set({ verificationOnTime: closedAt <= before.dueAt })
            .where(eq(patches.code, input.subject.code));
        }
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: input.actor,
          action: input.action,
          patchCode: patchCodeOf(input.subject),
          caseNo: caseNoOf(input.subject),
          taskId: input.taskId,
          before: { status: before?.status ?? 'open' },
          after: { status: input.status, result: input.result, ...input.patchUpdate, ...input.caseUpdate },
          workflowId,
          runId,
        });
      });
    },

    /** The due instant passed: mark task and patch overdue and tell the region's supervisors. */
    async markTaskOverdue(input: { taskId: string; subject: TaskSubject; eventKey: string }): Promise<void> {
      const { workflowId, runId } = execution();
      await db.transaction(async (tx) => {
        const [task] = await tx
          .update(tasks)
          .set({ overdue: true, overdueAt: sql`coalesce(${tasks.overdueAt}, now())` })
          .where(and(eq(tasks.id, input.taskId), eq(tasks.status, 'open')))
          .returning();
        if (!task) return;
        await applySubjectUpdate(tx, input.subject, {}, workflowId);
        await notify(tx, {
          key: `${input.eventKey}:supervisors`,
          regionCode: task.regionCode,
          role: 'supervisor',
          kind: 'overdue',
          params: noticeParams(input.subject, task),
          patchCode: patchCodeOf(input.subject),
          taskId: input.taskId,
          restricted: task.restricted,
        });
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: SYSTEM_ACTOR,
          action: `${task.type}.overdue`,
          patchCode: patchCodeOf(input.subject),
          caseNo: caseNoOf(input.subject),
          taskId: input.taskId,
          before: { overdue: false },
          after: { overdue: true, dueAt: task.dueAt },
          workflowId,
          runId,
        });
      });
    },

    /**
     * Overdue for the policy's further period: notify the supervisors of the next level up. Answers when the
     * task is to be chased next, for the task types the policy follows up on a cycle (transfer feedback).
     */
    async escalateOverdueTask(input: {
      taskId: string;
      subject: TaskSubject;
      eventKey: string /** When the escalation was due, and the workflow's clock. */;
      dueAt?: number;
      now?: number;
    }): Promise<{ followUpAt?: string }> {
      const { workflowId, runId } = execution();
      return db.transaction(async (tx) => {
        const [task] = await tx
          .update(tasks)
          .set({ escalatedAt: sql`coalesce(${tasks.escalatedAt}, now())` })
          .where(and(eq(tasks.id, input.taskId), eq(tasks.status, 'open')))
          .returning();
        if (!task) return {};
        const level = regionLevel(task.regionCode);
        const upper = level === 'county' ? `${task.regionCode.slice(0, 4)}00` : level === 'city' ? `${task.regionCode.slice(0, 2)}0000` : '000000';
        await notify(tx, {
          key: `${input.eventKey}:upper`,
          regionCode: upper,
          role: 'supervisor',
          kind: 'escalation',
          params: { ...noticeParams(input.subject, task), regionCode: task.regionCode, regionName: await regionName(tx, task.regionCode) },
          patchCode: patchCodeOf(input.subject),
          taskId: input.taskId,
          restricted: task.restricted,
        });
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: SYSTEM_ACTOR,
          action: `${task.type}.escalated`,
          patchCode: patchCodeOf(input.subject),
          caseNo: caseNoOf(input.subject),
          taskId: input.taskId,
          after: { notifiedRegion: upper },
          workflowId,
          runId,
        });
        return { followUpAt: await nextFollowUp(tx, input.subject, task.type as TaskType, input.dueAt, input.now) };
      });
    },

    /**
     * A follow-up of a task still not done after its escalation (未查处到位的要持续查处直至办结, 004 三(三)): the officers who
     * hold it and the supervisors of its region are reminded, once per round. Answers the next round's instant.
     */
    async remindOverdueTask(input: {
      taskId: string;
      subject: TaskSubject;
      eventKey: string;
      round: number /** When this round was due, and the workflow's clock. */;
      dueAt: number;
      now: number;
    }): Promise<{ followUpAt?: string }> {
      const { workflowId, runId } = execution();
      return db.transaction(async (tx) => {
        const [task] = await tx
          .select()
          .from(tasks)
          .where(and(eq(tasks.id, input.taskId), eq(tasks.status, 'open')));
        if (!task) return {};
        const params = { ...noticeParams(input.subject, task), round: input.round };
        for (const role of ['officer', 'supervisor'] as const) {
          await notify(tx, {
            key: `${input.eventKey}:${role}`,
            regionCode: task.regionCode,
            role,
            kind: 'reminder',
            params,
            patchCode: patchCodeOf(input.subject),
            taskId: input.taskId,
          });
        }
        const followUpAt = await nextFollowUp(tx, input.subject, task.type as TaskType, input.dueAt, input.now);
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: SYSTEM_ACTOR,
          action: `${task.type}.reminded`,
          patchCode: patchCodeOf(input.subject),
          caseNo: caseNoOf(input.subject),
          taskId: input.taskId,
          after: { round: input.round, dueAt: new Date(input.dueAt).toISOString(), next: followUpAt },
          workflowId,
          runId,
        });
        return { followUpAt };
      });
    },

    /**
     * Recomputes the due instants of open tasks under the region's current policy (after a change) and
     * records them. Returns the new instants, which the workflow re-arms its timers with.
     */
    async recomputeDeadlines(input: {
      subject: TaskSubject;
      tasks: DeadlineTaskRef[];
      eventKey: string;
      policyVersion: number;
      /** The workflow's clock: a task whose new due instant is later is no longer overdue. */
      now: number;
    }): Promise<{ policyVersion: number; escalateAfterMs: number; dueAt: Record<string, string>; rules: DeterminationRules }> {
      const { workflowId, runId } = execution();
      const out: Record<string, string> = {};
      const current = await loadEffectivePolicy(db, input.subject.countyCode);
      let version = Math.max(input.policyVersion, current.version);
      const escalateAfterMs = escalateAfterMsOf(current.policy);
      await db.transaction(async (tx) => {
        for (const ref of input.tasks) {
          const due = await dueFor(input.subject, ref, tx);
          version = Math.max(version, due.version);
          const overdue = due.dueAt.getTime() <= input.now;
          await tx
            .update(tasks)
            .set({ dueAt: due.dueAt, policyVersion: due.version, ...(overdue ? {} : { overdue: false, overdueAt: null }) })
            .where(and(eq(tasks.id, ref.taskId), eq(tasks.status, 'open')));
          out[ref.taskId] = due.dueAt.toISOString();
        }
        await applySubjectUpdate(tx, input.subject, {}, workflowId);
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: SYSTEM_ACTOR,
          action: 'deadlines.recomputed',
          patchCode: patchCodeOf(input.subject),
          caseNo: caseNoOf(input.subject),
          after: { policyVersion: version, dueAt: out },
          workflowId,
          runId,
        });
      });
      return { policyVersion: version, escalateAfterMs, dueAt: out, rules: rulesOf(current.policy) };
    },

    /** An approved extension: the task's due instant moves to the end of the granted day. */
    async applyExtension(input: {
      taskId: string;
      subject: TaskSubject;
      dueAt: string;
      eventKey: string;
      actor: Actor;
      reason?: string;
      now: number;
    }): Promise<void> {
      const { workflowId, runId } = execution();
      await db.transaction(async (tx) => {
        const [before] = await tx.select({ dueAt: tasks.dueAt }).from(tasks).where(eq(tasks.id, input.taskId));
        const due = new Date(input.dueAt);
        await tx
          .update(tasks)
          .set({ dueAt: due, extended: true, ...(due.getTime() > input.now ? { overdue: false, overdueAt: null, escalatedAt: null } : {}) })
          .where(and(eq(tasks.id, input.taskId), eq(tasks.status, 'open')));
        await applySubjectUpdate(tx, input.subject, {}, workflowId);
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: input.actor,
          action: 'extension.applied',
          patchCode: patchCodeOf(input.subject),
          caseNo: caseNoOf(input.subject),
          taskId: input.taskId,
          before: { dueAt: before?.dueAt },
          after: { dueAt: due, reason: input.reason },
          workflowId,
          runId,
        });
      });
    },

    /** Patch fields that change without a task opening or closing (a case closed, …). */
    async updatePatch(input: { patchCode: string; eventKey: string; action: string; actor: Actor; patchUpdate: PatchUpdate; detail?: unknown }): Promise<void> {
      const { workflowId, runId } = execution();
      await db.transaction(async (tx) => {
        await applyPatchUpdate(tx, input.patchCode, input.patchUpdate, workflowId);
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: input.actor,
          action: input.action,
          patchCode: input.patchCode,
          after: { ...input.patchUpdate, detail: input.detail },
          workflowId,
          runId,
        });
      });
    },
  };
}
