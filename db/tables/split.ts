/**
 * Splits (拆分, docs/domain.md §13): the child polygons a county proposes for a patch, kept here (the workflow
 * carries codes and areas only, never geometry) until the level above decides; on approval the children
 * become patches rows of their own, with `parent_code` naming the parent.
 */
import { doublePrecision, index, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { patches } from './core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export interface SplitChildRow {
  code: string;
  areaMu: number;
  geometry: unknown;
}

export const patchSplits = pgTable(
  'patch_splits',
  {
    id: serial('id').primaryKey(),
    parentCode: text('parent_code')
      .notNull()
      .references(() => patches.code),
    children: jsonb('children').$type<SplitChildRow[]>().notNull(),
    /** The parent's area by the same area function the children's are measured with. */
    parentAreaMu: doublePrecision('parent_area_mu').notNull(),
    reason: text('reason').notNull(),
    /** proposed → approved | rejected (or withdrawn: the county filed a determination meanwhile). */
    status: text('status').notNull().default('proposed'),
    proposedBy: text('proposed_by').notNull(),
    decidedBy: text('decided_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    decidedAt: ts('decided_at'),
  },
  (t) => [index('patch_splits_parent_idx').on(t.parentCode)],
);
