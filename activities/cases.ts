/**
 * Cases as the workflows see them: requested by a patch whose final determination is illegal (a case
 * number is allocated once per request and the case workflow started), patches linked by registration
 * (the other patch's unregistered case merges in), and case state reported back to each patch.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { casePatches, cases, patches } from '../db/schema';
import type { Determination } from '../domain/legality';
import { localDateOf } from '../domain/deadlines';
import { cityOf, provinceOf } from '../domain/regions';
import type { Actor, BatchKind, PatchCategory, RectificationPath } from '../domain/types';
import { caseStatusSignal, mergeIntoSignal, type CasePatch, type CaseWorkflowInput, type PatchInfo } from '../domain/messages';
import { execution, writeAudit } from './audit';
import { applyCaseUpdate, type CaseUpdate } from './case-read-model';

export function createCaseActivities(db: Db, temporal?: Client, taskQueue?: string) {
  async function casePatchOf(code: string): Promise<CasePatch | undefined> {
    const [p] = await db.select().from(patches).where(eq(patches.code, code));
    if (!p?.determination) return undefined;
    return {
      code: p.code,
      countyCode: p.countyCode,
      category: p.category as PatchCategory,
      batchKind: p.batchKind as BatchKind,
      issuedAt: p.issuedAt.toISOString(),
      imagedAt: p.imagedAt?.toISOString(),
      determination: p.determination as Determination,
    };
  }

  return {
    /**
     * Records the case a patch requests (once per request key), links the patch, and starts the case
     * workflow (workflow id = case number). Returns the case number.
     */
    async requestCase(input: {
      patch: PatchInfo;
      determination: Determination;
      eventKey: string;
      actor: Actor;
      origin?: 'determination' | 'recheck';
      /** A re-check that found rebuilding: the patch's earlier case, recorded on the new one. */
      previousCaseNo?: string;
      now?: number;
      /** A mineral violation's own case (违法采矿 / 越界开采, 地矿同核): no farmland quota is frozen for it. */
      subject?: 'land' | 'mineral';
    }): Promise<{ caseNo: string }> {
      const subject = input.subject ?? 'land';
      const { workflowId, runId } = execution();
      const openedAt = new Date(input.now ?? Date.now());
      const year = localDateOf(openedAt).year;
      const caseNo = await db.transaction(async (tx) => {
        const [existing] = await tx.select({ caseNo: cases.caseNo }).from(cases).where(eq(cases.requestKey, input.eventKey));
        if (existing) return existing.caseNo;
        // Case numbers run per county and year: AJ<county><year><0001>.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`case-no:${input.patch.countyCode}:${year}`}))`);
        const prefix = `AJ${input.patch.countyCode}${year}`;
        const [{ n }] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(cases)
          .where(sql`${cases.caseNo} like ${`${prefix}%`}`);
        const caseNo = `${prefix}${String(n + 1).padStart(4, '0')}`;
        await tx.insert(cases).values({
          caseNo,
          requestKey: input.eventKey,
          countyCode: input.patch.countyCode,
          cityCode: cityOf(input.patch.countyCode),
          provinceCode: provinceOf(input.patch.countyCode),
          primaryPatchCode: input.patch.code,
          year,
          origin: input.origin ?? 'determination',
          subject,
          previousCaseNo: input.previousCaseNo,
          status: 'register',
          workflowId: caseNo,
          illegalMu: input.determination.areas.totalMu,
          illegalFarmlandMu: input.determination.areas.farmlandMu,
          openedAt,
        });
        await tx.insert(casePatches).values({ caseNo, patchCode: input.patch.code }).onConflictDoNothing();
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: input.actor,
          action: 'case.requested',
          patchCode: input.patch.code,
          caseNo,
          after: {
            legality: input.determination.legality,
            areas: input.determination.areas,
            origin: input.origin ?? 'determination',
            previousCaseNo: input.previousCaseNo,
            ...(subject === 'mineral' ? { subject, mineral: input.determination.mineral } : {}),
          },
          workflowId,
          runId,
        });
        return caseNo;
      });
      if (temporal && taskQueue) {
        const args: CaseWorkflowInput = {
          caseNo,
          countyCode: input.patch.countyCode,
          origin: input.origin ?? 'determination',
          ...(input.previousCaseNo ? { previousCaseNo: input.previousCaseNo } : {}),
          ...(subject === 'mineral' ? { subject } : {}),
          patches: [
            {
              code: input.patch.code,
              countyCode: input.patch.countyCode,
              category: input.patch.category,
              batchKind: input.patch.batchKind,
              issuedAt: input.patch.issuedAt,
              imagedAt: input.patch.imagedAt,
              determination: input.determination,
            },
          ],
        };
        try {
          await temporal.workflow.start('caseWorkflow', { workflowId: caseNo, taskQueue, args: [args], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }
      return { caseNo };
    },

    /**
     * Links other illegal patches of the same party and site to a case at registration: each one's own,
     * still unregistered case is merged in. Returns the patches linked (those that could be).
     */
    async linkPatchesToCase(input: { caseNo: string; patchCodes: string[]; eventKey: string; actor: Actor }): Promise<CasePatch[]> {
      if (input.patchCodes.length === 0) return [];
      const { workflowId, runId } = execution();
      const rows = await db
        .select({ patchCode: casePatches.patchCode, caseNo: casePatches.caseNo, status: cases.status, countyCode: cases.countyCode, subject: cases.subject })
        .from(casePatches)
        .innerJoin(cases, eq(cases.caseNo, casePatches.caseNo))
        .where(inArray(casePatches.patchCode, input.patchCodes));
      const [target] = await db.select().from(cases).where(eq(cases.caseNo, input.caseNo));
      const linked: CasePatch[] = [];
      for (const code of input.patchCodes) {
        // Land cases merge with land cases, mineral ones with mineral ones (地矿同核: each its own case).
        const own = rows.find((r) => r.patchCode === code && r.caseNo !== input.caseNo && r.subject === (target?.subject ?? 'land'));
        const already = rows.find((r) => r.patchCode === code && r.caseNo === input.caseNo);
        if (!already && (own?.status !== 'register' || own.countyCode !== target?.countyCode)) continue;
        const casePatch = await casePatchOf(code);
        if (!casePatch) continue;
        await db.insert(casePatches).values({ caseNo: input.caseNo, patchCode: code }).onConflictDoNothing();
        if (own && temporal) {
          await temporal.workflow
            .getHandle(own.caseNo)
            .signal(mergeIntoSignal, { caseNo: input.caseNo })
            .catch((err) => {
              if (!(err instanceof WorkflowNotFoundError)) throw err;
            });
        }
        linked.push(casePatch);
      }
      await writeAudit(db, {
        eventKey: input.eventKey,
        actor: input.actor,
        action: 'case.patches_linked',
        caseNo: input.caseNo,
        after: { requested: input.patchCodes, linked: linked.map((p) => p.code) },
        workflowId,
        runId,
      });
      return linked;
    },

    /** Case fields that change without a task opening or closing (eliminated, struck off, …). */
    async updateCase(input: { caseNo: string; eventKey: string; action: string; actor: Actor; caseUpdate: CaseUpdate; detail?: unknown }): Promise<void> {
      const { workflowId, runId } = execution();
      await db.transaction(async (tx) => {
        await applyCaseUpdate(tx, input.caseNo, input.caseUpdate);
        // The row names the case's patch (its primary one; `patchCodes` lists them all), so that a patch's
        // timeline shows what happened to its case: its elimination, its strike-off.
        const [c] = await tx.select({ primary: cases.primaryPatchCode }).from(cases).where(eq(cases.caseNo, input.caseNo));
        const linked = (await tx.select({ code: casePatches.patchCode }).from(casePatches).where(eq(casePatches.caseNo, input.caseNo)))
          .map((r) => r.code)
          .sort();
        const patchCode = c?.primary ?? linked[0];
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: input.actor,
          action: input.action,
          caseNo: input.caseNo,
          ...(patchCode ? { patchCode } : {}),
          after: { ...input.caseUpdate, detail: input.detail, ...(linked.length ? { patchCodes: linked } : {}) },
          workflowId,
          runId,
        });
      });
    },

    /** Tells each patch of the case its state; a closed case closes them. */
    async reportCaseStatus(input: { caseNo: string; patchCodes: string[]; status: string; closed: boolean; path?: RectificationPath }): Promise<void> {
      if (!temporal) return;
      // A mineral case is the patch's second case: the read model keeps it apart from the land case.
      const [own] = await db.select({ subject: cases.subject }).from(cases).where(eq(cases.caseNo, input.caseNo));
      const column = own?.subject === 'mineral' ? { mineralCaseNo: input.caseNo } : { caseNo: input.caseNo };
      for (const code of input.patchCodes) {
        await temporal.workflow
          .getHandle(code)
          .signal(caseStatusSignal, {
            caseNo: input.caseNo,
            status: input.status,
            closed: input.closed,
            path: input.path,
            ...(own?.subject === 'mineral' ? { subject: 'mineral' as const } : {}),
          })
          .catch((err) => {
            // A patch whose workflow has ended has nothing left to learn.
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          });
        await db
          .update(patches)
          .set({ ...column, updatedAt: new Date() })
          .where(and(eq(patches.code, code)));
      }
    },
  };
}
