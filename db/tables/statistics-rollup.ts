/**
 * The statistics' rollup (docs/domain.md §11): per county, local day of issuance (Asia/Shanghai), batch,
 * source and military flag, the counts and areas every statistic figure adds up. Triggers on `patches`
 * (migrations, SQL generated from STATISTICS_ROLLUP_COLUMNS by db/statistics-rollup.ts) keep it exact in
 * the same transaction as each write of the read model, so a province's figures read a few thousand rows
 * instead of every patch.
 */
import { bigint, boolean, date, numeric, pgTable, primaryKey, text, varchar } from 'drizzle-orm/pg-core';

/** A counter of the rollup: a count of the patches where `when` holds, or the sum of `sum` over them. */
export interface RollupColumn {
  name: string;
  /** Over a patches row `p`, in SQL. */
  when: string;
  sum?: 'area' | 'farmland';
}

// Per patch row p: not military, and the determination's legality (military patches count as issued and as
// military, and in nothing else: 000 二(二); 002 三(三); 004 三(二)).
const LEGAL = `(not p.military and p.legality = 'legal')`;
const ILLEGAL = `(not p.military and p.legality = 'illegal')`;
const OTHER = `(not p.military and p.legality = 'other')`;
const CHECKED = `((p.reviewed or p.onsite_checked) and not p.military)`;
const RECTIFIED = `(${ILLEGAL} and p.rectified)`;
const FILED = `(p.verification_on_time is not null and not p.military)`;

/** The columns, named as the statistics query's results (api/services/statistics.ts aggregatesSql). */
export const STATISTICS_ROLLUP_COLUMNS: RollupColumn[] = [
  { name: 'patch_count', when: 'true' },
  // 拆分 and 合并 (docs/domain.md §13): issued counts the patches issued — unsplit, split parents and merge
  // sources (parent_code and merged_from null) — not split children nor a merged patch; the rest count the
  // patches determined (a split parent or a merge source, stage split or merged, has no determination).
  { name: 'issued', when: 'p.parent_code is null and p.merged_from is null' },
  // 填报率, 差错率 and 月清 per month (docs/domain.md §11) count as issued every patch but a merged one.
  { name: 'unmerged', when: 'p.merged_from is null' },
  { name: 'military_count', when: 'p.military' },
  { name: 'verified_on_time', when: 'p.verification_on_time' },
  { name: 'verified_late', when: 'not p.verification_on_time' },
  { name: 'verification_open', when: `p.verification_on_time is null and not p.military and p.stage not in ('split', 'merged')` },
  { name: 'overdue_now', when: 'p.overdue and not p.military' },
  { name: 'legal_count', when: LEGAL },
  { name: 'legal_area', when: LEGAL, sum: 'area' },
  { name: 'illegal_count', when: ILLEGAL },
  { name: 'illegal_area', when: ILLEGAL, sum: 'area' },
  { name: 'illegal_farmland', when: ILLEGAL, sum: 'farmland' },
  { name: 'other_count', when: OTHER },
  { name: 'other_area', when: OTHER, sum: 'area' },
  { name: 'direct', when: 'p.direct_determination and not p.military' },
  { name: 'reviewed', when: 'p.reviewed and not p.military' },
  { name: 'checked', when: CHECKED },
  { name: 'concealed', when: `p.concealed and not p.military and ${CHECKED}` },
  { name: 'province_checked', when: 'p.province_checked and not p.military' },
  { name: 'province_concealed', when: 'p.concealed and not p.military and p.province_found_illegal and p.province_checked' },
  { name: 'rectified_count', when: RECTIFIED },
  { name: 'rectified_area', when: RECTIFIED, sum: 'area' },
  { name: 'rectified_farmland', when: RECTIFIED, sum: 'farmland' },
  { name: 'legalised_farmland', when: `${RECTIFIED} and p.rectification_path = 'legalise'`, sum: 'farmland' },
  { name: 'recultivated_farmland', when: `${RECTIFIED} and p.rectification_path = 'demolish_recultivate'`, sum: 'farmland' },
  { name: 'major_farmland', when: `${ILLEGAL} and p.major_infrastructure`, sum: 'farmland' },
  { name: 'major_legalised_farmland', when: `${RECTIFIED} and p.major_infrastructure and p.rectification_path = 'legalise'`, sum: 'farmland' },
  {
    name: 'major_recultivated_farmland',
    when: `${RECTIFIED} and p.major_infrastructure and p.rectification_path = 'demolish_recultivate'`,
    sum: 'farmland',
  },
  { name: 'legal_major_farmland', when: `${LEGAL} and p.major_infrastructure`, sum: 'farmland' },
  {
    name: 'construction_farmland',
    when: `${ILLEGAL} or (${LEGAL} and coalesce(p.determined_sub_type, '') not in ('facility_agriculture', 'temporary_land', 'land_consolidation'))`,
    sum: 'farmland',
  },
  { name: 'filed', when: FILED },
  { name: 'sent_back', when: `${FILED} and p.send_back_count > 0` },
  { name: 'mineral_answered', when: 'not p.military and p.mineral_finding is not null' },
  { name: 'mineral_present', when: 'p.mineral_present and not p.military' },
  { name: 'mineral_illegal_count', when: `not p.military and p.mineral_finding = 'illegal_mining'` },
  { name: 'mineral_illegal_area', when: `not p.military and p.mineral_finding = 'illegal_mining'`, sum: 'area' },
  { name: 'mineral_beyond_count', when: `not p.military and p.mineral_finding = 'beyond_boundary'` },
  { name: 'mineral_beyond_area', when: `not p.military and p.mineral_finding = 'beyond_boundary'`, sum: 'area' },
  { name: 'mineral_cases', when: 'p.mineral_case_no is not null and not p.military' },
];

/** The figures a report's rectification cut-off recomputes from the rectified patches and their cases. */
export const RECTIFICATION_COLUMNS = STATISTICS_ROLLUP_COLUMNS.filter((c) => c.when.includes(RECTIFIED));

const counters = Object.fromEntries(
  STATISTICS_ROLLUP_COLUMNS.map((c) => [c.name, c.sum ? numeric(c.name).notNull().default('0') : bigint(c.name, { mode: 'number' }).notNull().default(0)]),
);

export const patchStatisticsRollup = pgTable(
  'patch_statistics_rollup',
  {
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    /** The local day of issuance (Asia/Shanghai): statistics periods are whole local days. */
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    /** '' for a patch without a batch. */
    batchCode: text('batch_code').notNull(),
    source: text('source').notNull(),
    military: boolean('military').notNull(),
    ...counters,
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.issuedOn, t.batchCode, t.source, t.military] })],
);
