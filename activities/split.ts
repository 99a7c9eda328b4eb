/**
 * 拆分 (docs/domain.md §13) as the patch workflow orders it: the level above's decision on a county's proposal
 * (patch_splits), and on approval the children's patches rows — coded after the parent, each with its polygon
 * and area, the parent's county, category, batch and issuance (so the parent's deadlines), and `parent_code`.
 * Idempotent: a retried approval inserts nothing twice.
 */
import { centroid } from '@turf/turf';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { patches, patchSplits } from '../db/schema';
import type { PatchInfo } from '../domain/messages';
import type { Actor, BatchKind, PatchCategory, PatchSource } from '../domain/types';
import { execution, writeAudit } from './audit';

export interface DecideSplitInput {
  splitId: number;
  status: 'approved' | 'rejected' | 'withdrawn';
  actor: Pick<Actor, 'userId' | 'displayName'>;
  /** For an approval: the key of its `patch.split` audit row. */
  eventKey?: string;
}

export function createSplitActivities(db: Db) {
  return {
    /** Records the decision; an approval creates the children's rows and answers with their workflow inputs. */
    async decideSplit(input: DecideSplitInput): Promise<PatchInfo[]> {
      const { workflowId, runId } = execution();
      return db.transaction(async (tx) => {
        const [split] = await tx.select().from(patchSplits).where(eq(patchSplits.id, input.splitId));
        if (!split) throw new Error(`split ${input.splitId} not found`);
        await tx
          .update(patchSplits)
          .set({ status: input.status, decidedBy: input.actor.displayName, decidedAt: new Date() })
          .where(eq(patchSplits.id, input.splitId));
        if (input.status !== 'approved') return [];
        const [parent] = await tx.select().from(patches).where(eq(patches.code, split.parentCode));
        const rows = split.children.map((c) => ({
          code: c.code,
          batchCode: parent.batchCode,
          countyCode: parent.countyCode,
          cityCode: parent.cityCode,
          provinceCode: parent.provinceCode,
          category: parent.category,
          source: parent.source,
          batchKind: parent.batchKind,
          areaMu: c.areaMu,
          geometry: c.geometry,
          centroid: centroid(c.geometry as Parameters<typeof centroid>[0]).geometry.coordinates.slice(0, 2),
          military: false,
          issuedAt: parent.issuedAt,
          imagedAt: parent.imagedAt,
          workflowId: c.code,
          parentCode: parent.code,
        }));
        await tx.insert(patches).values(rows).onConflictDoNothing();
        await tx.update(patches).set({ stage: 'split', updatedAt: new Date() }).where(eq(patches.code, parent.code));
        await writeAudit(tx, {
          eventKey: input.eventKey ?? `split:${input.splitId}`,
          actor: input.actor,
          action: 'patch.split',
          patchCode: parent.code,
          after: { stage: 'split', children: split.children.map((c) => ({ code: c.code, areaMu: c.areaMu })), parentAreaMu: split.parentAreaMu },
          workflowId,
          runId,
        });
        return rows.map(
          (r): PatchInfo => ({
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
            parentCode: r.parentCode,
          }),
        );
      });
    },
  };
}
