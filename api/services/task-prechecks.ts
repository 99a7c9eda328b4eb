/**
 * Checks of a completion that need the read model (the workflow's validator cannot do I/O): linking
 * patches at registration must name illegal patches of the same county whose own case is unregistered; a
 * rectification plan may not plan beyond the region's rectification cut-off its task carries (the workflow
 * checks that too).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { casePatches, cases, patches } from '../../db/schema';
import { latestDateMessage } from '../../domain/cases';
import type { FieldIssue } from '../errors';

export async function precheckCompletion(db: Db, task: { type: string; caseNo?: string | null; regionCode: string; context?: unknown }, payload: Record<string, unknown>): Promise<FieldIssue[]> {
  if (task.type === 'rectification_plan') {
    const latest = (task.context as { rectificationDueBy?: string } | null | undefined)?.rectificationDueBy;
    const planned = payload.plannedBy as string | undefined;
    return latest && planned && planned > latest ? [{ path: 'plannedBy', rule: 'beyond_rectification_cutoff', message: latestDateMessage(latest, planned) }] : [];
  }
  if (task.type !== 'case_register') return [];
  const codes = (payload.linkPatchCodes as string[] | undefined) ?? [];
  if (codes.length === 0) return [];
  const rows = await db
    .select({ code: patches.code, countyCode: patches.countyCode, legality: patches.legality, caseNo: casePatches.caseNo, caseStatus: cases.status })
    .from(patches)
    .leftJoin(casePatches, eq(casePatches.patchCode, patches.code))
    .leftJoin(cases, eq(cases.caseNo, casePatches.caseNo))
    .where(and(inArray(patches.code, codes)));
  return codes.flatMap((code, i): FieldIssue[] => {
    const own = rows.filter((r) => r.code === code);
    const path = `linkPatchCodes.${i}`;
    if (own.length === 0) return [{ path, message: `图斑 ${code} 不存在` }];
    if (own[0].countyCode !== task.regionCode) return [{ path, message: `图斑 ${code} 不在本县` }];
    if (own[0].legality !== 'illegal') return [{ path, message: `图斑 ${code} 未认定为违法，不能并案` }];
    if (own.some((r) => r.caseNo === task.caseNo)) return [];
    if (!own.some((r) => r.caseStatus === 'register')) return [{ path, message: `图斑 ${code} 的案件已立案或已结案，不能并案` }];
    return [];
  });
}
