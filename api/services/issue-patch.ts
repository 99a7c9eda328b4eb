/**
 * Issuing a patch through the API: the county must be a registered county the caller may see; the batch and
 * the patch are recorded (once) and its workflow started with the patch code as workflow id by the shared use
 * case (services/issue-patch.ts). Issuing the same patch again starts nothing and answers with the existing process.
 */
import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { batches, patches, regions } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { t10Columns } from '../../domain/batches';
import { regionLevel } from '../../domain/regions';
import type { IssuePatch } from '../../domain/schemas/patches';
import type { Actor } from '../../domain/types';
import { patchValues, startPatchProcess } from '../../services/issue-patch';
import { ApiError, fieldIssue } from '../errors';

export interface IssueResult {
  code: string;
  workflowId: string;
  runId?: string;
  created: boolean;
}

export async function issuePatch(deps: { db: Db; temporal: Client; taskQueue: string }, input: IssuePatch, actor: Actor): Promise<IssueResult> {
  const { db } = deps;
  const [county] = await db.select().from(regions).where(eq(regions.code, input.countyCode));
  if (!county || regionLevel(county.code) !== 'county') {
    throw new ApiError('InvalidPayload', `未知的县级行政区：${input.countyCode}`, `unknown county: ${input.countyCode}`, [
      fieldIssue('countyCode', 'unknown_county', '不是已登记的县级行政区划代码', 'not the code of a registered county', { countyCode: input.countyCode }),
    ]);
  }
  const access = canSeeRegion(actor, county.code);
  if (!access.ok) throw new ApiError('Forbidden', `不能向${county.name}下发图斑：${access.reason}`, `cannot issue to ${county.code}: ${access.reasonEn}`);

  const issuedAt = input.issuedAt ? new Date(input.issuedAt) : new Date();
  if (input.batchCode) {
    await db
      .insert(batches)
      .values({
        code: input.batchCode,
        name: input.batchCode,
        source: input.source,
        kind: input.batchKind,
        issuedAt,
        imagedAt: input.imagedAt ? new Date(input.imagedAt) : null,
        // T+10 on the batch, by the rule the import uses (000 二(一)).
        ...t10Columns(input.batchKind, input.imagedAt ? new Date(input.imagedAt) : null, issuedAt),
      })
      .onConflictDoNothing();
  }
  const inserted = await db
    .insert(patches)
    .values(patchValues(input, county.code, issuedAt))
    .onConflictDoNothing({ target: patches.code })
    .returning();
  const row = inserted[0] ?? (await db.select().from(patches).where(eq(patches.code, input.code)))[0];
  if (!inserted[0] && (row.countyCode !== county.code || row.category !== input.category)) {
    throw new ApiError('Conflict', `图斑编号 ${input.code} 已被另一个图斑使用`, `patch code ${input.code} is already used by another patch`);
  }

  const { runId, created } = await startPatchProcess(deps, row, actor);
  return { code: row.code, workflowId: row.code, runId, created };
}
