/**
 * What an import answers: its progress, its batch (with the T+10 check), and the report — every rejected
 * feature with its reasons and every warning — in the caller's language. Military features' codes are
 * shown only to users with the classified-handling permission.
 */
import { and, asc, eq, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { batches, importFeatures } from '../db/schema';
import { MU_PER_UNIT, type AreaUnit, type AttributeMapping } from '../domain/attribute-mapping';
import { shanghaiDate, t10Check, type T10Check } from '../domain/batches';
import type { BatchKind } from '../domain/types';
import type { ImportRow } from './jobs';
import { describeIssue } from './messages';
import type { Issue } from './source-types';

export interface ReportItem {
  seq: number;
  /** The feature's number in the file, 1-based, as a person counts. */
  feature: number;
  code: string | null;
  military: boolean;
  status: string;
  reasons: Array<Issue & { message: string }>;
  warnings: Array<Issue & { message: string }>;
}

const UNIT_LABEL: Record<AreaUnit, [string, string]> = { m2: ['平方米', 'square metres'], mu: ['亩', 'mu'], ha: ['公顷', 'hectares'] };

function t10Message(t10: T10Check, english: boolean): string {
  if (!t10.applies) return english ? 'T+10 binds monthly batches only' : 'T+10 时限只适用于月度图斑批次';
  if (t10.late) return english ? `issued ${t10.lateDays} days after T+10 (${t10.dueOn})` : `晚于 T+10（${t10.dueOn}）${t10.lateDays} 天下发`;
  return english ? 'issued within T+10' : '按 T+10 时限下发';
}

export async function importView(db: Db, job: ImportRow, english = false) {
  const [batch] = await db.select().from(batches).where(eq(batches.code, job.batchCode));
  const imagedOn = batch?.imagedAt ? shanghaiDate(batch.imagedAt) : null;
  const issuedOn = batch ? shanghaiDate(batch.issuedAt) : null;
  const t10 = imagedOn && issuedOn && batch ? t10Check(imagedOn, issuedOn, batch.kind as BatchKind) : null;
  return {
    id: job.id,
    batchCode: job.batchCode,
    fileName: job.fileName,
    fileHash: job.fileHash,
    format: job.format,
    crs: job.crs,
    status: job.status,
    total: job.total,
    processed: job.cursor,
    percent: job.total ? Math.floor((100 * job.cursor) / job.total) : 0,
    accepted: job.accepted,
    started: job.started,
    existing: job.existing,
    rejected: job.rejected,
    warned: job.warned,
    military: job.military,
    error: job.error,
    origin: job.origin,
    createdBy: (job.actor as { displayName?: string }).displayName ?? null,
    mapping: job.mapping as AttributeMapping,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    finishedAt: job.finishedAt,
    /** False while no feature has gone in: the batch is created with the first (none for a file without a valid feature). */
    batchCreated: Boolean(batch),
    notice:
      job.status === 'completed' && !batch
        ? english
          ? `No feature of the file is valid (${job.rejected} rejected, see the report): no batch was created.`
          : `文件中没有一个有效要素（${job.rejected} 个被拒绝，见导入报告），未创建批次。`
        : null,
    batch: batch
      ? {
          code: batch.code,
          name: batch.name,
          source: batch.source,
          kind: batch.kind,
          imagedOn,
          issuedOn,
          t10: t10 ? { ...t10, message: t10Message(t10, english) } : null,
        }
      : null,
  };
}

export type ImportView = Awaited<ReturnType<typeof importView>>;

/** A file-wide finding: the declared areas are all off by a unit's factor. */
async function unitHint(db: Db, job: ImportRow, english: boolean) {
  const mapping = job.mapping as AttributeMapping;
  if (!mapping.area) return undefined;
  const [row] = await db
    .select({
      n: sql<number>`count(*)::int`,
      ratio: sql<number | null>`percentile_cont(0.5) within group (order by ${importFeatures.declaredMu} / ${importFeatures.computedMu})`,
    })
    .from(importFeatures)
    .where(and(eq(importFeatures.importId, job.id), isNotNull(importFeatures.declaredMu), sql`${importFeatures.computedMu} > 0`));
  if (!row || row.n < 3 || !row.ratio) return undefined;
  const mapped = MU_PER_UNIT[mapping.areaUnit];
  const likely = (Object.keys(MU_PER_UNIT) as AreaUnit[]).find((u) => u !== mapping.areaUnit && Math.abs(MU_PER_UNIT[u] / (mapped / row.ratio!) - 1) < 0.1);
  if (!likely) return undefined;
  const [zhMapped, enMapped] = UNIT_LABEL[mapping.areaUnit];
  const [zhLikely, enLikely] = UNIT_LABEL[likely];
  return {
    rule: 'area_unit_suspect',
    params: { field: mapping.area, mappedUnit: mapping.areaUnit, likelyUnit: likely, ratio: Number(row.ratio.toPrecision(4)) },
    message: english
      ? `The declared areas (${mapping.area}) are typically ${row.ratio.toPrecision(4)}× the geometry's: they look like ${enLikely}, but the mapping reads them as ${enMapped}. Re-import with area unit "${likely}".`
      : `申报面积（${mapping.area}）一般是图形面积的 ${row.ratio.toPrecision(4)} 倍：看来单位是${zhLikely}，而映射按${zhMapped}解读。请将面积单位设为“${likely}”后重新导入。`,
  };
}

export async function importReport(db: Db, job: ImportRow, opts: { english?: boolean; classified?: boolean } = {}) {
  const english = opts.english ?? false;
  const rows = await db
    .select()
    .from(importFeatures)
    .where(and(eq(importFeatures.importId, job.id), or(isNotNull(importFeatures.reasons), isNotNull(importFeatures.warnings))))
    .orderBy(asc(importFeatures.seq));
  const words = (issues: unknown) => ((issues as Issue[] | null) ?? []).map((i) => ({ ...i, message: describeIssue(i, english) }));
  const items: ReportItem[] = rows.map((r) => {
    const hidden = r.military && !opts.classified;
    return {
      seq: r.seq,
      feature: r.seq + 1,
      code: hidden ? null : r.patchCode,
      military: r.military,
      status: r.status,
      // A classified feature's findings may name its code: only the rule is shown.
      reasons: hidden ? words(r.reasons).map((i) => ({ rule: i.rule, message: english ? '(classified)' : '（涉密）' })) : words(r.reasons),
      warnings: hidden ? [] : words(r.warnings),
    };
  });
  const hint = await unitHint(db, job, english);
  return {
    ...(await importView(db, job, english)),
    hints: hint ? [hint] : [],
    rejectedFeatures: items.filter((i) => i.status === 'rejected'),
    warnedFeatures: items.filter((i) => i.status !== 'rejected' && i.warnings.length > 0),
  };
}

export type ImportReport = Awaited<ReturnType<typeof importReport>>;
