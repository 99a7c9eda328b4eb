/**
 * 合并 (docs/domain.md §13): a county proposes to merge a patch with adjacent patches of the county and of one
 * situation, where the region's policy allows it; the reviewer above approves. Every refusal is a 422 naming the
 * field (`code`: the patch of the path, `with.<i>`: a neighbour) and the rule; nothing is stored then.
 */
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { patches } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import type { MergeRule } from '../../domain/merge';
import { mergeRequestSchema } from '../../domain/schemas/merge';
import type { Actor } from '../../domain/types';
import { type MergeIssue, mergeCandidates, proposeMerge } from '../../services/merge-patch';
import { type MergeProposal, requestMergeUpdate } from '../../workflows/messages';
import { actorOf } from '../auth';
import { ApiError, fieldIssue } from '../errors';
import { fromUpdateError } from '../temporal-errors';

const MESSAGES: Record<MergeRule, [string, string]> = {
  merge_not_allowed: ['本地区未允许合并图斑', 'the region does not allow merging patches'],
  merge_other_county: ['图斑%s不属于同一县', 'patch %s belongs to another county'],
  merge_determined: ['图斑%s已核查填报，不能合并', 'patch %s is already determined'],
  merge_pending: ['图斑%s已在另一合并中', 'patch %s is already in another merge'],
  merge_military: ['军用土地图斑%s不能与其他图斑合并', 'military patch %s cannot be merged'],
  merge_batch_kind: ['图斑%s的下发批次类型不同', 'patch %s is of another batch kind'],
  merge_not_adjacent: ['图斑%s与其他图斑不相邻', 'patch %s is not adjacent to the others'],
  merge_no_geometry: ['图斑%s没有图形', 'patch %s has no geometry'],
  merge_unknown_patch: ['图斑不存在', 'the patch does not exist'],
};

function refusal(issues: MergeIssue[]): ApiError {
  const list = issues.map((i) => {
    const [zh, en] = MESSAGES[i.rule];
    return fieldIssue(i.path, i.rule, zh.replace('%s', i.code ?? ''), en.replace('%s', i.code ?? ''), i.code ? { code: i.code } : {});
  });
  return new ApiError('InvalidPayload', list.map((i) => i.message).join('；'), list.map((i) => i.messageEn).join('; '), list);
}

export function registerMergeRoutes(app: FastifyInstance, deps: { db: Db; temporal: Client }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const params = z.object({ code: z.string().min(1).max(60) });

  async function visiblePatch(code: string, actor: Actor) {
    const [row] = await db.select().from(patches).where(eq(patches.code, code));
    if (!row || (row.military && !actor.classified)) throw new ApiError('NotFound', `图斑 ${code} 不存在`, `patch ${code} does not exist`);
    const access = canSeeRegion(actor, row.countyCode);
    if (!access.ok) throw new ApiError('Forbidden', `该图斑${access.reason}`, `the patch's ${access.reasonEn}`);
    return row;
  }

  /** The county's open patches this one may be merged with, adjacent ones first, with their polygons for the map. */
  r.get('/patches/:code/merge-candidates', { schema: { params, tags: ['patches'] } }, async (req) => {
    const row = await visiblePatch(req.params.code, actorOf(req));
    return { data: await mergeCandidates(db, row) };
  });

  r.post('/patches/:code/merge', { schema: { params, body: mergeRequestSchema, tags: ['patches'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const row = await visiblePatch(req.params.code, actor);
    const propose = (proposal: MergeProposal) => deps.temporal.workflow.getHandle(row.code).executeUpdate(requestMergeUpdate, { args: [proposal] });
    const result = await proposeMerge({ db, propose }, row, req.body, actor).catch((err: unknown) => {
      throw fromUpdateError(err) ?? err;
    });
    if (!result.ok) throw refusal(result.issues);
    return reply.status(201).send({ mergeId: result.mergeId, mergedCode: result.mergedCode, ...result.snapshot });
  });
}
