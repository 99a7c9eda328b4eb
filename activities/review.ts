/**
 * Decisions that depend on the region's policy at the moment they are taken: whether a review level
 * looks at the patch (with the recorded sampling draw), and which higher level checks it on site.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loadEffectivePolicy } from '../db/policy-store';
import { patches } from '../db/schema';
import { dueDate, localDateOf, startOfLocalDay } from '../domain/deadlines';
import type { Determination } from '../domain/legality';
import type { ReviewLevel } from '../domain/policy';
import { decideReview, nextOnsiteCheck, ONSITE_LEVELS, type OnsiteDecision, type ReviewDecision } from '../domain/review';
import type { PatchInfo } from '../domain/messages';
import { execution, SYSTEM_ACTOR, writeAudit } from './audit';

export function createReviewActivities(db: Db) {
  return {
    /** The coverage decision of review level `levelIndex` of the chain, or null past its end. */
    async decideReviewLevel(input: { patch: PatchInfo; determination: Determination; levelIndex: number; eventKey: string }): Promise<ReviewDecision | null> {
      const { policy } = await loadEffectivePolicy(db, input.patch.countyCode);
      const entry = policy.review.chain[input.levelIndex];
      if (!entry) return null;
      const decision = decideReview(entry, {
        patchCode: input.patch.code,
        countyCode: input.patch.countyCode,
        category: input.patch.category,
        determination: input.determination,
        seed: policy.review.sampleSeed,
      });
      const { workflowId, runId } = execution();
      // With the legality the level was first given (a re-review after a correction keeps it): concealment it
      // finds is counted as found there (002 五(三) 省级审核中瞒报率).
      const recorded = { ...decision, seed: policy.review.sampleSeed };
      await db.transaction(async (tx) => {
        // The draws are kept on the patch, one per level, so that anyone can check them.
        await tx
          .update(patches)
          .set({
            reviewDraws: sql`coalesce(${patches.reviewDraws}, '{}'::jsonb) || jsonb_build_object(${decision.level}::text, ${JSON.stringify(recorded)}::jsonb
              || jsonb_build_object('legality', coalesce(${patches.reviewDraws}->${decision.level}::text->>'legality', ${input.determination.legality}::text)))`,
          })
          .where(eq(patches.code, input.patch.code));
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: SYSTEM_ACTOR,
          action: 'review.coverage',
          patchCode: input.patch.code,
          after: { ...decision, seed: policy.review.sampleSeed },
          workflowId,
          runId,
        });
      });
      return decision;
    },

    /** 周期复核 instants (the morning of each cycle's day) when the region re-checks this kind of patch. */
    async planRechecks(input: { countyCode: string; subType?: string; now: number }): Promise<string[]> {
      const { policy } = await loadEffectivePolicy(db, input.countyCode);
      const { subTypes, everyMonths, forMonths } = policy.recheck;
      if (!input.subType || !subTypes.includes(input.subType)) return [];
      const start = localDateOf(input.now);
      return Array.from({ length: Math.max(1, Math.floor(forMonths / everyMonths)) }, (_, i) =>
        new Date(startOfLocalDay(dueDate({ kind: 'monthsAfter', months: (i + 1) * everyMonths }, start)).getTime() + 9 * 3600_000).toISOString(),
      );
    },

    /**
     * The levels (city, then province) that checked any of these patches on site: each checks the case's
     * rectification result too ("图斑及其整改结果", 000 二(五); 003 四(一)).
     */
    async rectificationOnsiteLevels(input: { patchCodes: string[] }): Promise<ReviewLevel[]> {
      if (!input.patchCodes.length) return [];
      const rows = await db.select({ onsiteChecks: patches.onsiteChecks }).from(patches).where(inArray(patches.code, input.patchCodes));
      const levels = new Set(rows.flatMap((r) => (Array.isArray(r.onsiteChecks) ? (r.onsiteChecks as Array<{ level?: string }>).map((c) => c.level) : [])));
      return ONSITE_LEVELS.filter((l) => levels.has(l));
    },

    /** The next level (after `after`) whose on-site thresholds the determination meets, if any. */
    async decideOnsiteCheck(input: { patch: PatchInfo; determination: Determination; after?: ReviewLevel }): Promise<OnsiteDecision | null> {
      const { policy } = await loadEffectivePolicy(db, input.patch.countyCode);
      return (
        nextOnsiteCheck(policy, { countyCode: input.patch.countyCode, category: input.patch.category, determination: input.determination }, input.after) ?? null
      );
    },
  };
}
