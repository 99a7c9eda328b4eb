/**
 * Half-year and annual results per region (docs/domain.md §12), as XLSX (exceljs) and CSV: the figures, the
 * illegal patches and the cases with their rectification state, and the quota entries of the period. The
 * submission date comes from the region's policy (ministry: 31 July / 31 March; Liaocheng's counties:
 * 10 July / 10 January; Jiangmen: 10 March; Nan'an: 15 March).
 *
 * The lists (illegal patches, cases, quota entries) are read from PostgreSQL page by page as the file is
 * written, and the file is streamed: a province's year of patches never sits in memory at once.
 */
import { pipeline, Readable, type Writable } from 'node:stream';
import { stringify, type Options } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { and, asc, desc, eq, gt, gte, lt, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client';
import { loadEffectivePolicy } from '../../db/policy-store';
import { withinRegion } from '../../db/region-filter';
import { casePatches, cases, patches, quotaLedger, regions } from '../../db/schema';
import { computeDue, formatLocalDate, startOfLocalDay } from '../../domain/deadlines';
import { CATEGORY_LABELS, STAGE_LABELS } from '../../domain/labels';
import { rectificationCutoff, type Figures } from '../../domain/statistics';
import type { PatchCategory, PatchSource, PatchStage } from '../../domain/types';
import { regionStatistics, type RegionStatistics } from './statistics';

export type ReportKind = 'half-year' | 'annual';

const PATH_LABELS: Record<string, string> = { demolish_recultivate: '拆除复耕', legalise: '补办用地手续', confiscate: '没收' };
const CASE_STAGE_LABELS: Record<string, string> = {
  register: '待立案',
  stop_order: '责令停止',
  decision: '处罚决定',
  rectification: '整改中',
  acceptance: '验收中',
  awaiting_transfers: '待移送反馈',
  struck_off: '已销号',
  merged: '已并案',
};
const ACCOUNT_LABELS: Record<string, string> = { farmland: '补充耕地指标', construction_plan: '新增建设用地计划指标' };
const KIND_LABELS: Record<string, string> = { freeze: '冻结', unfreeze: '解冻', deduct: '扣减' };

/** 部卫片 and 省卫片 are reported through different systems (004 二(二)): a report covers one, or shows both. */
export const SOURCE_LABELS: Record<PatchSource, string> = { ministry: '部卫片', province: '省卫片' };

export interface ReportData {
  kind: ReportKind;
  year: number;
  /** The patches' source the report covers; all sources when absent. */
  source?: PatchSource;
  regionCode: string;
  regionName: string;
  period: { from: string; to: string };
  /** The rectification cut-off (YYYY-MM-DD), or null: as of the report's making. */
  rectifiedBy: string | null;
  dueDate: string;
  statistics: RegionStatistics;
  regionNames: Map<string, string>;
  illegalPatches: Rows<Record<string, unknown>>;
  cases: Rows<Record<string, unknown>>;
  quota: Rows<Record<string, unknown>>;
}

/** Rows read as they are written out: an array in tests, pages from PostgreSQL in a real report. */
type Rows<T> = Iterable<T> | AsyncIterable<T>;

const PAGE = 2000;
/** Keyset paging: `page(last)` answers the rows after `last` in the list's order, PAGE at most. */
async function* paged<T>(page: (last: T | undefined) => Promise<T[]>): AsyncGenerator<T> {
  let last: T | undefined;
  for (;;) {
    const rows = await page(last);
    yield* rows;
    if (rows.length < PAGE) return;
    last = rows[rows.length - 1];
  }
}

export async function buildReport(db: Db, input: { regionCode: string; year: number; kind: ReportKind; source?: PatchSource }): Promise<ReportData> {
  const { year, kind, regionCode, source } = input;
  const from = startOfLocalDay({ year, month: 1, day: 1 });
  const to = kind === 'half-year' ? startOfLocalDay({ year, month: 7, day: 1 }) : startOfLocalDay({ year: year + 1, month: 1, day: 1 });
  const { policy } = await loadEffectivePolicy(db, regionCode);
  const dueRule = kind === 'half-year' ? policy.reports.halfYear : policy.reports.annual;
  const dueDate = formatLocalDate(computeDue(dueRule, { issuedAt: from, eventAt: from }));
  // Rectified as of the policy's cut-off (Jiangmen 31 December, 002 三(二); Liaocheng 15 January, 003 三(四)).
  const rectifiedBy = rectificationCutoff(policy, kind, year);
  const linked = alias(cases, 'linked_case');
  const caseLink = db
    .select({ caseNo: casePatches.caseNo })
    .from(casePatches)
    .innerJoin(linked, eq(linked.caseNo, casePatches.caseNo))
    .where(and(eq(casePatches.patchCode, patches.code), ne(linked.status, 'merged')))
    .orderBy(desc(casePatches.linkedAt))
    .limit(1)
    .as('case_link');
  const [statistics, names] = await Promise.all([
    // A report file travels over ordinary channels: military land is in none of its figures, for any reader
    // (000 二(二); 002 三(三); 004 三(二)) — it is reported offline through the classified channel.
    regionStatistics(db, { regionCode, from, to, source, rectifiedBy, includeMilitary: false }),
    db.select({ code: regions.code, name: regions.name }).from(regions),
  ]);
  const illegalPatches = paged<{ code: string; countyCode: string }>((last) =>
    db
      .select({
        code: patches.code,
        countyCode: patches.countyCode,
        category: patches.category,
        issuedAt: patches.issuedAt,
        areaMu: sql<number>`coalesce((${patches.determination}->'areas'->>'totalMu')::float8, ${patches.areaMu})`,
        farmlandMu: sql<number>`coalesce((${patches.determination}->'areas'->>'farmlandMu')::float8, 0)`,
        determinedLevel: patches.determinedLevel,
        directDetermination: patches.directDetermination,
        concealed: patches.concealed,
        stage: patches.stage,
        caseNo: cases.caseNo,
        caseStatus: cases.status,
        path: cases.path,
        eliminated: rectifiedBy
          ? sql<boolean>`coalesce(${cases.eliminated} and ${cases.eliminatedAt} <= ${rectifiedBy.toISOString()}, false)`
          : cases.eliminated,
      })
      .from(patches)
      // The patch's case: its link to a case that was not merged into another (a merge links the patch to
      // the surviving case and keeps the old link), the latest if ever two are open at once.
      .leftJoinLateral(caseLink, sql`true`)
      .leftJoin(cases, eq(cases.caseNo, caseLink.caseNo))
      .where(
        and(
          withinRegion(patches.countyCode, regionCode),
          eq(patches.legality, 'illegal'),
          gte(patches.issuedAt, from),
          lt(patches.issuedAt, to),
          source ? eq(patches.source, source) : undefined,
          // Military land goes through the classified channel, never in a report file (000 二(二); 002 三(三); 004 三(二)).
          eq(patches.military, false),
          last ? sql`(${patches.countyCode}, ${patches.code}) > (${last.countyCode}, ${last.code})` : undefined,
        ),
      )
      .orderBy(asc(patches.countyCode), asc(patches.code))
      .limit(PAGE),
  );
  const caseRows = paged<typeof cases.$inferSelect>((last) =>
    db
      .select()
      .from(cases)
      // The cases of the period, and those of earlier years still open (carried over).
      .where(
        and(
          withinRegion(cases.countyCode, regionCode),
          or(
            and(gte(cases.openedAt, from), lt(cases.openedAt, to)),
            and(lt(cases.openedAt, from), sql`${cases.struckOffAt} is null`, sql`${cases.status} <> 'merged'`),
          ),
          // A case belongs to the source of the patch it was opened for.
          source ? sql`exists (select 1 from ${patches} where ${patches.code} = ${cases.primaryPatchCode} and ${patches.source} = ${source})` : undefined,
          sql`not exists (select 1 from ${patches} where ${patches.code} = ${cases.primaryPatchCode} and ${patches.military})`,
          last ? sql`(${cases.countyCode}, ${cases.caseNo}) > (${last.countyCode}, ${last.caseNo})` : undefined,
        ),
      )
      .orderBy(asc(cases.countyCode), asc(cases.caseNo))
      .limit(PAGE),
  );
  const quota = paged<typeof quotaLedger.$inferSelect>((last) =>
    db
      .select()
      .from(quotaLedger)
      .where(
        and(
          withinRegion(quotaLedger.countyCode, regionCode),
          gte(quotaLedger.at, from),
          lt(quotaLedger.at, to),
          source ? sql`exists (select 1 from ${patches} where ${patches.code} = ${quotaLedger.patchCode} and ${patches.source} = ${source})` : undefined,
          sql`not exists (select 1 from ${patches} where ${patches.code} = ${quotaLedger.patchCode} and ${patches.military})`,
          last ? gt(quotaLedger.id, last.id) : undefined,
        ),
      )
      .orderBy(asc(quotaLedger.id))
      .limit(PAGE),
  );
  const regionNames = new Map(names.map((r) => [r.code, r.name]));
  return {
    kind,
    year,
    source,
    regionCode,
    regionName: regionNames.get(regionCode) ?? regionCode,
    period: { from: formatLocalDate(from), to: formatLocalDate(new Date(to.getTime() - 1)) },
    rectifiedBy: rectifiedBy ? formatLocalDate(rectifiedBy) : null,
    dueDate,
    statistics,
    regionNames,
    illegalPatches,
    cases: (async function* () {
      for await (const c of caseRows) yield { ...c, carriedOver: c.year !== null && c.year < year && !c.struckOffAt };
    })(),
    quota,
  };
}

/** The counting rule of a split (docs/domain.md §13), as reports and exports state it. */
export const SPLIT_COUNTING_NOTE = '下发图斑数按未拆分图斑和被拆分的原图斑计；判定、面积、违法图斑数和整改按未拆分图斑和拆分后的子图斑计';
/** The counting rule of a merge (合并, docs/domain.md §13), beside the split's. */
export const MERGE_COUNTING_NOTE =
  '下发图斑数按部下发的图斑计（含被合并的图斑，不含合并后图斑）；判定、面积、违法图斑数和整改按合并后图斑计（不含被合并的图斑）';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);
const mu = (v: number) => Math.round(v * 100) / 100;

/** The figures as label/value rows, in the order a report reads. */
export function figureRows(f: Figures): Array<[string, string | number]> {
  return [
    ['下发图斑（个）', f.issued],
    ['按时核查填报（个）', f.verifiedOnTime],
    ['逾期核查填报（个）', f.verifiedLate],
    ['尚未核查（个）', f.verificationOpen],
    ['当前逾期（个）', f.overdueNow],
    ['月清率', pct(f.clearanceRate)],
    // 填报率 = 已填报 / 下发, 差错率 = 审核退回 / 已填报 (docs/domain.md §11)
    ['已填报（个）', f.filed],
    ['填报率（已填报 / 下发）', pct(f.fillingRate)],
    ['其中审核退回（个）', f.sentBack],
    ['差错率（审核退回 / 已填报）', pct(f.errorRate)],
    ['合法（个）', f.legal.count],
    ['合法面积（亩）', mu(f.legal.areaMu)],
    ['违法（个）', f.illegal.count],
    ['违法面积（亩）', mu(f.illegal.areaMu)],
    ['违法占用耕地（亩）', mu(f.illegal.farmlandMu)],
    ['其他（个）', f.other.count],
    ['其他面积（亩）', mu(f.other.areaMu)],
    ['直接认定（个）', f.directDeterminations],
    ['已整改违法图斑（个）', f.rectified.count],
    ['已整改面积（亩）', mu(f.rectified.areaMu)],
    ['已整改耕地（亩）', mu(f.rectified.farmlandMu)],
    ['整改到位率（面积）', pct(f.rectificationRate)],
    ['整改到位率（耕地）', pct(f.farmlandRectificationRate)],
    ['问责比例', pct(f.accountability.ratio)],
    ['问责比例分子（亩，扣减后）', f.accountability.numeratorMu],
    ['问责比例分母（亩，扣减后）', f.accountability.denominatorMu],
    // 扣减范围 (002 五(二)), each patch once
    ['扣减：重大基础设施项目违法用地（亩，分子分母）', f.accountability.deducted.majorInfrastructureMu],
    ['扣减：已拆除复耕到位（亩，分子分母）', f.accountability.deducted.recultivatedMu],
    ['扣减：已补办完善用地手续（亩，仅分子）', f.accountability.deducted.legalisedMu],
    ['问责标准', pct(f.accountability.threshold)],
    ['预警', f.accountability.warning === 'reached' ? '已达到问责标准' : f.accountability.warning === 'near' ? '接近问责标准' : '—'],
    ['市、省级抽中审核图斑（个）', f.reviewed],
    ['审核或实地核查图斑（个）', f.checked],
    ['其中瞒报图斑（个）', f.concealed],
    ['省级审核或实地核查图斑（个）', f.provinceChecked],
    ['其中省级发现瞒报图斑（个）', f.provinceConcealed],
    ['省级审核中瞒报率（省级发现瞒报图斑 / 省级审核或实地核查图斑）', pct(f.concealmentRate)],
    ['须约谈（瞒报）', f.concealmentInterview ? '是' : '否'],
    ['超过T+10下发（个）', f.lateIssuance],
    // 一图两用、地矿同核 (000 二(一); 004 三(二)): the mineral results, apart from the land figures above.
    ['矿产：填报用矿情况图斑（个）', f.mineral.answered],
    ['矿产：存在采矿行为（个）', f.mineral.present],
    ['矿产：违法采矿（个）', f.mineral.illegalMining.count],
    ['矿产：违法采矿面积（亩）', mu(f.mineral.illegalMining.areaMu)],
    ['矿产：越界开采（个）', f.mineral.beyondBoundary.count],
    ['矿产：越界开采面积（亩）', mu(f.mineral.beyondBoundary.areaMu)],
    ['矿产：立案查处（个）', f.mineral.cases],
  ];
}

const title = (r: ReportData) =>
  `${r.regionName}${r.year}年${r.kind === 'half-year' ? '上半年' : '度'}卫片执法成果${r.source ? `（${SOURCE_LABELS[r.source]}）` : ''}`;

function summaryRows(r: ReportData): Array<Array<string | number>> {
  return [
    [title(r)],
    ['统计区域', `${r.regionName}（${r.regionCode}）`],
    ['统计期间', `${r.period.from} 至 ${r.period.to}`],
    ['图斑来源', r.source ? SOURCE_LABELS[r.source] : '部卫片、省卫片合计（两者分别报送）'],
    ['报送截止日期', r.dueDate],
    ['整改消除违法状态截止日期', r.rectifiedBy ?? '截至报表生成时'],
    // 拆分 (docs/domain.md §13): which patches each figure counts, so that none counts twice.
    ['计数口径', SPLIT_COUNTING_NOTE],
    ['合并计数口径', MERGE_COUNTING_NOTE],
    [],
    ['指标', '数值'],
    ...figureRows(r.statistics.figures),
    [],
    ['指标账户', '冻结（亩）', '解冻（亩）', '扣减（亩）'],
    ...r.statistics.quota.map((q) => [ACCOUNT_LABELS[q.account] ?? q.account, mu(q.frozenMu), mu(q.unfrozenMu), mu(q.deductedMu)]),
  ];
}

type Row = Array<string | number>;

async function* patchRows(r: ReportData): AsyncGenerator<Row> {
  yield [
    '图斑编号',
    '所在县区',
    '图斑类型',
    '下发日期',
    '违法面积（亩）',
    '占用耕地（亩）',
    '认定层级',
    '直接认定',
    '瞒报',
    '案件编号',
    '案件状态',
    '整改方式',
    '已消除违法状态',
  ];
  for await (const p of r.illegalPatches)
    yield [
      String(p.code),
      r.regionNames.get(String(p.countyCode)) ?? String(p.countyCode),
      CATEGORY_LABELS[p.category as PatchCategory] ?? String(p.category),
      formatLocalDate(p.issuedAt as Date),
      mu(Number(p.areaMu)),
      mu(Number(p.farmlandMu)),
      ({ county: '县级', city: '市级', province: '省级' } as Record<string, string>)[String(p.determinedLevel)] ?? '',
      p.directDetermination ? '是' : '否',
      p.concealed ? '是' : '否',
      String(p.caseNo ?? ''),
      p.caseStatus ? (CASE_STAGE_LABELS[String(p.caseStatus)] ?? String(p.caseStatus)) : (STAGE_LABELS[p.stage as PatchStage] ?? ''),
      p.path ? PATH_LABELS[String(p.path)] : '',
      p.eliminated ? '是' : '否',
    ];
}

async function* caseRowsOf(r: ReportData): AsyncGenerator<Row> {
  yield ['案件编号', '所在县区', '当事人', '状态', '整改方式', '立案日期', '消除违法状态日期', '销号日期', '跨年度'];
  for await (const c of r.cases)
    yield [
      String(c.caseNo),
      r.regionNames.get(String(c.countyCode)) ?? String(c.countyCode),
      String((c.party as { name?: string } | null)?.name ?? ''),
      CASE_STAGE_LABELS[String(c.status)] ?? String(c.status),
      c.path ? PATH_LABELS[String(c.path)] : '',
      c.registeredAt ? formatLocalDate(c.registeredAt as Date) : '',
      c.eliminatedAt ? formatLocalDate(c.eliminatedAt as Date) : '',
      c.struckOffAt ? formatLocalDate(c.struckOffAt as Date) : '',
      c.carriedOver ? '是' : '否',
    ];
}

async function* quotaRows(r: ReportData): AsyncGenerator<Row> {
  yield ['日期', '所在县区', '指标账户', '类型', '面积（亩）', '案件编号', '图斑编号', '事由'];
  for await (const q of r.quota)
    yield [
      formatLocalDate(q.at as Date),
      r.regionNames.get(String(q.countyCode)) ?? String(q.countyCode),
      ACCOUNT_LABELS[String(q.account)] ?? String(q.account),
      KIND_LABELS[String(q.kind)] ?? String(q.kind),
      Number(q.areaMu),
      String(q.caseNo),
      String(q.patchCode),
      String(q.reason ?? ''),
    ];
}

function childRows(r: ReportData): Array<Array<string | number>> {
  const labels = figureRows(r.statistics.figures).map(([label]) => label);
  return [
    ['区域', ...labels],
    ...r.statistics.children.map((c) => [r.regionNames.get(c.regionCode) ?? c.regionCode, ...figureRows(c.figures).map(([, v]) => v)]),
  ];
}

/** 月清, 填报率 and 差错率 per county and month of issuance (docs/domain.md §11). */
function qualityRows(r: ReportData): Array<Array<string | number>> {
  return [
    ['县区', '下发月份', '下发图斑（个）', '按时核查填报（个）', '月清率', '已填报（个）', '填报率', '审核退回（个）', '差错率'],
    ...r.statistics.quality.map((q) => [
      r.regionNames.get(q.regionCode) ?? q.regionCode,
      q.month,
      q.issued,
      q.verifiedOnTime,
      pct(q.clearanceRate),
      q.filed,
      pct(q.fillingRate),
      q.sentBack,
      pct(q.errorRate),
    ]),
  ];
}

export const SHEETS = {
  summary: '汇总',
  regions: '分区统计',
  quality: '填报质量',
  patches: '违法图斑',
  cases: '案件台账',
  quota: '指标冻结解冻',
} as const;
export type SheetName = keyof typeof SHEETS;

const SHEET_ROWS: Record<SheetName, (r: ReportData) => Rows<Row>> = {
  summary: summaryRows,
  regions: childRows,
  quality: qualityRows,
  patches: patchRows,
  cases: caseRowsOf,
  quota: quotaRows,
};

/**
 * The workbook, written to `out` as its rows come (exceljs's streaming writer): each row is committed,
 * so memory holds a page of rows, not the sheet. Column widths are set from a sheet's first row, and the
 * header row is frozen (it stays in view while the list scrolls). No cell styles: exceljs looks up a style
 * for every cell it writes when styles are on, half the time of a sheet of tens of thousands of patches
 * (a CPU profile of bench:queries' annual report).
 */
export async function reportXlsx(r: ReportData, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  wb.creator = '卫片执法系统';
  wb.created = new Date();
  for (const [key, name] of Object.entries(SHEETS) as Array<[SheetName, string]>) {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    let first = true;
    for await (const values of SHEET_ROWS[key](r)) {
      if (first) ws.columns = values.map(() => ({ width: 16 }));
      const row = ws.addRow(values);
      row.commit();
      first = false;
    }
    ws.commit();
  }
  await wb.commit();
}

/**
 * One sheet as CSV (csv-stringify, streamed), with a byte-order mark so that spreadsheet programs read it as UTF-8.
 * Cells with a comma, quote, line feed or a bare carriage return are quoted; text that a spreadsheet
 * would take for a formula (= + - @, a tab or CR first: party names and site descriptions are typed by
 * users) is prefixed with a single quote. Numbers, negative ones too, stay numbers.
 */
export function reportCsv(r: ReportData, sheet: SheetName): Readable {
  // quote_record_delimiter: without it a custom record delimiter stops csv-stringify quoting a lone \n or \r
  // (the option is read by the library but missing from its input type).
  const options = { bom: true, record_delimiter: 'windows', escape_formulas: true, quote_record_delimiter: true } as Options;
  // An error while reading the rows ends the response (the status line has gone out already).
  return pipeline(Readable.from(SHEET_ROWS[sheet](r)), stringify(options), () => {});
}

export const reportFileName = (r: ReportData, ext: string, sheet?: SheetName) => `${title(r)}${sheet && sheet !== 'summary' ? `-${SHEETS[sheet]}` : ''}.${ext}`;
