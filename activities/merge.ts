/**
 * 合并 (docs/domain.md §13) as the lead patch's workflow orders it: the level above's decision on a county's
 * proposal (patch_merges); on approval, if every source is still undetermined and in no other merge, the merged
 * patch's row — coded after the first source, the union's polygon and ellipsoidal area, the county, category and
 * batch of the sources and their earliest issuance (so their earliest deadline), `merged_from` naming them — and
 * each source's `merged_into`. Then each other source's workflow is told to close as 被合并 (`closeMerged`).
 * Idempotent: a retried approval inserts nothing twice and answers the same merged patch.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { centroid } from '@turf/turf';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { patches, patchMerges } from '../db/schema';
import { MERGEABLE_STAGES } from '../domain/merge';
import type { PatchInfo } from '../domain/messages';
import type { Actor, BatchKind, PatchCategory, PatchSource } from '../domain/types';
import { execution, writeAudit } from './audit';

export interface DecideMergeInput {
  mergeId: number;
  status: 'approved' | 'rejected' | 'withdrawn';
  actor: Pick<Actor, 'userId' | 'displayName'>;
  /** For an approval: the key of its `patch.merge` audit row. */
  eventKey?: string;
}

type PatchRow = typeof patches.$inferSelect;

const infoOf = (r: PatchRow): PatchInfo => ({
  code: r.code,
  countyCode: r.countyCode,
  cityCode: r.cityCode,
  provinceCode: r.provinceCode,
  category: r.category as PatchCategory,
  source: r.source as PatchSource,
  batchCode: r.batchCode ?? undefined,
  batchKind: r.batchKind as BatchKind,
  issuedAt: r.issuedAt.toISOString(),
  imagedAt: r.imagedAt?.toISOString(),
  areaMu: r.areaMu,
  mergedFrom: r.mergedFrom ?? undefined,
});

const earliest = (dates: Array<Date | null>): Date | null => dates.reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null);

export function createMergeActivities(db: Db, temporal?: Client) {
  return {
    /** Records the decision; an approval creates the merged patch's row and answers with its workflow input (null: the merge lapsed). */
    async decideMerge(input: DecideMergeInput): Promise<PatchInfo | null> {
      const { workflowId, runId } = execution();
      return db.transaction(async (tx) => {
        const [merge] = await tx.select().from(patchMerges).where(eq(patchMerges.id, input.mergeId)).for('update');
        if (!merge) throw ApplicationFailure.nonRetryable(`merge ${input.mergeId} not found`);
        if (merge.status === 'approved') {
          const [done] = await tx.select().from(patches).where(eq(patches.code, merge.mergedCode));
          return done ? infoOf(done) : null;
        }
        const decided = { decidedBy: input.actor.displayName, decidedAt: new Date() };
        if (input.status !== 'approved') {
          await tx
            .update(patchMerges)
            .set({ status: input.status, ...decided })
            .where(eq(patchMerges.id, input.mergeId));
          return null;
        }
        const sources = await tx.select().from(patches).where(inArray(patches.code, merge.sourceCodes)).for('update');
        const open = (r: PatchRow) => (MERGEABLE_STAGES as readonly string[]).includes(r.stage) && !r.legality && !r.mergedInto;
        if (sources.length !== merge.sourceCodes.length || !sources.every(open)) {
          await tx
            .update(patchMerges)
            .set({ status: 'lapsed', ...decided })
            .where(eq(patchMerges.id, input.mergeId));
          return null;
        }
        await tx
          .update(patchMerges)
          .set({ status: 'approved', ...decided })
          .where(eq(patchMerges.id, input.mergeId));
        const lead = sources.find((s) => s.code === merge.leadCode) ?? sources[0];
        const issuedAt = earliest(sources.map((s) => s.issuedAt))!;
        const [row] = await tx
          .insert(patches)
          .values({
            code: merge.mergedCode,
            batchCode: lead.batchCode,
            countyCode: lead.countyCode,
            cityCode: lead.cityCode,
            provinceCode: lead.provinceCode,
            category: lead.category,
            source: lead.source,
            batchKind: lead.batchKind,
            areaMu: merge.areaMu,
            geometry: merge.geometry,
            centroid: centroid(merge.geometry as Parameters<typeof centroid>[0]).geometry.coordinates.slice(0, 2),
            military: false,
            // A merge buys no time: the merged patch carries the earliest issuance, so the earliest deadline.
            issuedAt,
            imagedAt: earliest(sources.map((s) => s.imagedAt)),
            workflowId: merge.mergedCode,
            mergedFrom: merge.sourceCodes,
          })
          .onConflictDoNothing()
          .returning();
        await tx.update(patches).set({ mergedInto: merge.mergedCode, updatedAt: new Date() }).where(inArray(patches.code, merge.sourceCodes));
        await writeAudit(tx, {
          eventKey: input.eventKey ?? `merge:${input.mergeId}`,
          actor: input.actor,
          action: 'patch.merge',
          patchCode: merge.leadCode,
          after: { mergedCode: merge.mergedCode, sources: merge.sources, areaMu: merge.areaMu, legality: merge.legality },
          workflowId,
          runId,
        });
        const [merged] = row ? [row] : await tx.select().from(patches).where(eq(patches.code, merge.mergedCode));
        return infoOf(merged);
      });
    },

    /** Tells a source's workflow to close as 被合并; a repeated request (the Update's validator says Duplicate) is done already. */
    async closeMergedSource(input: { patchCode: string; mergeId: number; mergedCode: string; leadCode: string }): Promise<'closed' | 'already' | 'refused'> {
      if (!temporal) throw new Error('closeMergedSource needs the Temporal client');
      const { patchCode, ...req } = input;
      try {
        await temporal.workflow.getHandle(patchCode).executeUpdate('closeMerged', { args: [req] });
        return 'closed';
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
          if (err.cause.type === 'Duplicate') return 'already';
          // Stale: the patch moved on (determined, merged elsewhere) after the approval checked it.
          return 'refused';
        }
        if (err instanceof WorkflowNotFoundError) return 'refused';
        throw err;
      }
    },
  };
}
