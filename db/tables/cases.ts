/**
 * Violation cases (立案查处). A patch whose final determination is illegal requests one; a case links
 * one or more patches of the same party and site.
 */
import { index, pgTable, primaryKey, text, timestamp, varchar } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const cases = pgTable(
  'cases',
  {
    caseNo: text('case_no').primaryKey(),
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    status: text('status').notNull().default('requested'),
    workflowId: text('workflow_id'),
    openedAt: ts('opened_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [index('cases_county_idx').on(t.countyCode)],
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
