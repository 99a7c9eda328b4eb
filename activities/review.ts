/**
 * Decisions that depend on the region's policy at the moment they are taken: whether a review level
 * looks at the patch (with the recorded sampling draw), and which higher level checks it on site.
 */
import { Context } from '@temporalio/activity';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loadEffectivePolicy } from '../db/policy-store';
import { patches } from '../db/schema';
import type { Determination } from '../domain/legality';
import type { ReviewLevel } from '../domain/policy';
import { decideReview, nextOnsiteCheck, type OnsiteDecision, type ReviewDecision } from '../domain/review';
import type { PatchInfo } from '../workflows/messages';
import { writeAudit } from './audit';

function execution() {
  const info = Context.current().info;
  return { workflowId: info.workflowExecution?.workflowId ?? '', runId: info.workflowExecution?.runId ?? '' };
}

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
      await db.transaction(async (tx) => {
        // The draws are kept on the patch, one per level, so that anyone can check them.
        await tx
          .update(patches)
          .set({ reviewDraws: sql`coalesce(${patches.reviewDraws}, '{}'::jsonb) || ${JSON.stringify({ [decision.level]: { ...decision, seed: policy.review.sampleSeed } })}::jsonb` })
          .where(eq(patches.code, input.patch.code));
        await writeAudit(tx, {
          eventKey: input.eventKey,
          actor: { userId: 0, displayName: '系统' },
          action: 'review.coverage',
          patchCode: input.patch.code,
          after: { ...decision, seed: policy.review.sampleSeed },
          workflowId,
          runId,
        });
      });
      return decision;
    },

    /** The next level (after `after`) whose on-site thresholds the determination meets, if any. */
    async decideOnsiteCheck(input: { patch: PatchInfo; determination: Determination; after?: ReviewLevel }): Promise<OnsiteDecision | null> {
      const { policy } = await loadEffectivePolicy(db, input.patch.countyCode);
      return nextOnsiteCheck(policy, { countyCode: input.patch.countyCode, category: input.patch.category, determination: input.determination }, input.after) ?? null;
    },
  };
}
