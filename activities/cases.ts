/**
 * The hand-over from a patch to its violation case. The patch's final illegal determination requests a
 * case; the case reports its state back to the patch, which closes when the case is struck off.
 */
import { Context } from '@temporalio/activity';
import type { Db } from '../db/client';
import { casePatches, cases } from '../db/schema';
import type { Determination } from '../domain/legality';
import type { Actor } from '../domain/types';
import type { PatchInfo } from '../workflows/messages';
import { writeAudit } from './audit';

export const caseNumberFor = (patchCode: string) => `AJ-${patchCode}`;

export function createCaseActivities(db: Db) {
  return {
    /** Records the case request (idempotently) and returns the case number. */
    async requestCase(input: { patch: PatchInfo; determination: Determination; eventKey: string; actor: Actor }): Promise<{ caseNo: string }> {
      const info = Context.current().info;
      const caseNo = caseNumberFor(input.patch.code);
      await db.transaction(async (tx) => {
        await tx.insert(cases).values({ caseNo, countyCode: input.patch.countyCode, status: 'requested' }).onConflictDoNothing();
        await tx.insert(casePatches).values({ caseNo, patchCode: input.patch.code }).onConflictDoNothing();
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: input.actor,
          action: 'case.requested',
          patchCode: input.patch.code,
          caseNo,
          after: { legality: input.determination.legality, areas: input.determination.areas },
          workflowId: info.workflowExecution?.workflowId,
          runId: info.workflowExecution?.runId,
        });
      });
      return { caseNo };
    },
  };
}
