/**
 * Checks of a completion that need the read model (the workflow's validator cannot do I/O): linking
 * patches at registration must name illegal patches of the same county whose own case is unregistered;
 * a rectification plan may not plan beyond the region's rectification cut-off its task carries (the
 * workflow checks that too); evidence must have been uploaded for the patch (or the case's patches), and
 * what a file says about itself (kind, GPS, capture time) is taken from the upload's record, not from the
 * client.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { casePatches, cases, evidenceFiles, patches } from '../../db/schema';
import { latestDateMessage, latestDateMessageEn } from '../../domain/cases';
import { readMeasurement } from '../../activities/measurement';
import { suggestedAreas } from '../../domain/layers';
import { checkAreasOverride, type Determination } from '../../domain/legality';
import { fieldIssue, type FieldIssue } from '../errors';

export interface PrecheckTask {
  type: string;
  caseNo?: string | null;
  patchCode?: string | null;
  regionCode: string;
  context?: unknown;
}

export interface Precheck {
  issues: FieldIssue[];
  /** The payload to send: evidence entries completed from the stored uploads. */
  payload: Record<string, unknown>;
}

export async function precheckCompletion(db: Db, task: PrecheckTask, payload: Record<string, unknown>): Promise<Precheck> {
  const evidence = await checkEvidence(db, task, payload);
  const measured = await withSuggestedAreas(db, task, evidence.payload);
  return {
    issues: [...checkPlanDeadline(task, payload), ...(await checkLinkedPatches(db, task, payload)), ...evidence.issues, ...measured.issues],
    payload: measured.payload,
  };
}

/** The task types whose determination files the areas, held to the measurement (docs/domain.md §13). */
const AREA_FILINGS = ['verification', 'correction', 'direct_determination'];

/**
 * 面积经核查修正 (docs/domain.md §13): the determination carries the areas the land layers suggested, read here from
 * the patch's measurement (whatever the client sent is not taken), so that the patch and the audit keep both; areas
 * that differ from them need a reason. The workflow checks the reason again against the suggestion in its history.
 */
async function withSuggestedAreas(db: Db, task: PrecheckTask, payload: Record<string, unknown>): Promise<Precheck> {
  const determination = payload.determination as Determination | undefined;
  if (!determination || !task.patchCode || !AREA_FILINGS.includes(task.type)) return { issues: [], payload };
  const { suggestedAreas: _client, ...own } = determination;
  const m = await readMeasurement(db, task.patchCode);
  if (!m) return { issues: [], payload: { ...payload, determination: own } };
  const suggested = suggestedAreas(m);
  const issues = checkAreasOverride(own, suggested).map((v) => fieldIssue(v.path, v.rule, v.message, v.messageEn, v.params));
  return { issues, payload: { ...payload, determination: { ...own, suggestedAreas: suggested } } };
}

function checkPlanDeadline(task: PrecheckTask, payload: Record<string, unknown>): FieldIssue[] {
  if (task.type !== 'rectification_plan') return [];
  const latest = (task.context as { rectificationDueBy?: string } | null | undefined)?.rectificationDueBy;
  const planned = payload.plannedBy as string | undefined;
  if (!latest || !planned || planned <= latest) return [];
  const rule = 'beyond_rectification_cutoff';
  return [{ ...fieldIssue('plannedBy', rule, latestDateMessage(latest, planned), latestDateMessageEn(latest, planned), { latest, planned }), rule }];
}

async function checkLinkedPatches(db: Db, task: PrecheckTask, payload: Record<string, unknown>): Promise<FieldIssue[]> {
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
    const params = { patchCode: code };
    if (own.length === 0) return [fieldIssue(path, 'patch_not_found', `图斑 ${code} 不存在`, `patch ${code} does not exist`, params)];
    if (own[0].countyCode !== task.regionCode) {
      return [
        fieldIssue(path, 'patch_other_county', `图斑 ${code} 不在本县`, `patch ${code} is not in this county`, { ...params, countyCode: own[0].countyCode }),
      ];
    }
    if (own[0].legality !== 'illegal') {
      return [
        fieldIssue(path, 'patch_not_illegal', `图斑 ${code} 未认定为违法，不能并案`, `patch ${code} is not determined illegal: it cannot be linked`, params),
      ];
    }
    if (own.some((r) => r.caseNo === task.caseNo)) return [];
    if (!own.some((r) => r.caseStatus === 'register')) {
      return [
        fieldIssue(
          path,
          'patch_case_registered',
          `图斑 ${code} 的案件已立案或已结案，不能并案`,
          `the case of patch ${code} is already registered or closed: it cannot be linked`,
          params,
        ),
      ];
    }
    return [];
  });
}

interface EvidenceEntry {
  sha256: string;
  kind: string;
  name?: string;
  gps?: { lat: number; lng: number };
  capturedAt?: string;
}

/** Where a payload carries evidence: a determination's, or the payload's own (re-check, rectification). */
function evidenceList(
  payload: Record<string, unknown>,
): { prefix: string; list: EvidenceEntry[]; put: (list: EvidenceEntry[]) => Record<string, unknown> } | undefined {
  const determination = payload.determination as { evidence?: EvidenceEntry[] } | undefined;
  if (determination?.evidence?.length) {
    return {
      prefix: 'determination.evidence',
      list: determination.evidence,
      put: (list) => ({ ...payload, determination: { ...determination, evidence: list } }),
    };
  }
  const own = payload.evidence as EvidenceEntry[] | undefined;
  if (own?.length) return { prefix: 'evidence', list: own, put: (list) => ({ ...payload, evidence: list }) };
  return undefined;
}

/** The patches whose uploads a task's evidence may name: its patch, or every patch of its case. */
async function evidencePatches(db: Db, task: PrecheckTask): Promise<string[]> {
  if (task.caseNo) {
    const rows = await db.select({ code: casePatches.patchCode }).from(casePatches).where(eq(casePatches.caseNo, task.caseNo));
    return [...new Set([...rows.map((r) => r.code), ...(task.patchCode ? [task.patchCode] : [])])];
  }
  return task.patchCode ? [task.patchCode] : [];
}

async function checkEvidence(db: Db, task: PrecheckTask, payload: Record<string, unknown>): Promise<Precheck> {
  const found = evidenceList(payload);
  if (!found) return { issues: [], payload };
  const codes = await evidencePatches(db, task);
  const hashes = [...new Set(found.list.map((e) => e.sha256))];
  const stored = codes.length
    ? await db
        .select()
        .from(evidenceFiles)
        .where(and(inArray(evidenceFiles.patchCode, codes), inArray(evidenceFiles.sha256, hashes)))
    : [];
  const bySha = new Map(stored.map((r) => [r.sha256, r]));
  const issues: FieldIssue[] = [];
  const list = found.list.map((entry, i): EvidenceEntry => {
    const row = bySha.get(entry.sha256);
    if (!row) {
      const short = entry.sha256.slice(0, 12);
      issues.push(
        fieldIssue(
          `${found.prefix}.${i}.sha256`,
          'evidence_not_uploaded',
          `举证文件 ${short}… 未上传到本图斑，请先上传再提交`,
          `evidence file ${short}… was not uploaded for this patch: upload it, then submit`,
          { sha256: entry.sha256 },
        ),
      );
      return entry;
    }
    // What the file says about itself comes from the upload (EXIF / the video's metadata), not the form.
    return {
      sha256: row.sha256,
      kind: row.kind,
      ...((entry.name ?? row.originalName) ? { name: entry.name ?? row.originalName ?? undefined } : {}),
      ...(row.gpsLat !== null && row.gpsLng !== null ? { gps: { lat: row.gpsLat, lng: row.gpsLng } } : {}),
      ...(row.capturedAt ? { capturedAt: row.capturedAt.toISOString() } : {}),
    };
  });
  return { issues, payload: found.put(list) };
}
