/**
 * Violation cases (立案查处) and the patches they link (same party and site). Transfers to other organs
 * and their feedback are the case's transfer_feedback tasks.
 */
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, varchar } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const cases = pgTable(
  'cases',
  {
    caseNo: text('case_no').primaryKey(),
    /** The patch workflow's request that created the case: retries find the same case. */
    requestKey: text('request_key').unique(),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    cityCode: varchar('city_code', { length: 6 }),
    provinceCode: varchar('province_code', { length: 6 }),
    primaryPatchCode: text('primary_patch_code'),
    /** The year the case was opened: open cases of earlier years are carried over (跨年度台账). */
    year: integer('year'),
    origin: text('origin').notNull().default('determination'), // determination | recheck
    /** land | mineral: a mineral violation's case is its own (地矿同核, 004 三(二)、三(四)); counted apart. */
    subject: text('subject').notNull().default('land'),
    /** A case opened by a re-check that found rebuilding: the earlier case of the patch (问题台账 chain, 003 四(六)). */
    previousCaseNo: text('previous_case_no'),
    status: text('status').notNull().default('register'),
    workflowId: text('workflow_id'),
    illegalMu: doublePrecision('illegal_mu'),
    illegalFarmlandMu: doublePrecision('illegal_farmland_mu'),
    party: jsonb('party'),
    site: text('site'),
    facts: text('facts'),
    decision: jsonb('decision'),
    path: text('path'),
    rectificationPlan: jsonb('rectification_plan'),
    rectification: jsonb('rectification'),
    certificateNo: text('certificate_no'),
    eliminated: boolean('eliminated').notNull().default(false),
    mergedInto: text('merged_into'),
    overdue: boolean('overdue').notNull().default(false),
    dueAt: ts('due_at'),
    openedAt: ts('opened_at').notNull().defaultNow(),
    registeredAt: ts('registered_at'),
    eliminatedAt: ts('eliminated_at'),
    struckOffAt: ts('struck_off_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('cases_county_idx').on(t.countyCode), index('cases_status_idx').on(t.status), index('cases_previous_idx').on(t.previousCaseNo)],
);

export const casePatches = pgTable(
  'case_patches',
  {
    caseNo: text('case_no').notNull(),
    patchCode: text('patch_code').notNull(),
    linkedAt: ts('linked_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caseNo, t.patchCode] }), index('case_patches_patch_idx').on(t.patchCode)],
);
