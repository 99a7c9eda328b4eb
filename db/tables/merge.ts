/**
 * Merges (合并, docs/domain.md §13): the sources a county proposes to merge, the union's polygon and area, kept
 * here (the workflow carries codes and areas only, never geometry) until the level above decides; on approval
 * the merged patch becomes a patches row with `merged_from` naming the sources, each source `merged_into` it.
 */
import { doublePrecision, index, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export interface MergeSourceRow {
  code: string;
  areaMu: number;
}

export const patchMerges = pgTable(
  'patch_merges',
  {
    id: serial('id').primaryKey(),
    /** The first source: its workflow holds the review (合并审核). */
    leadCode: text('lead_code').notNull(),
    sources: jsonb('sources').$type<MergeSourceRow[]>().notNull(),
    /** The codes of the sources, for "already in another merge" (jsonb containment). */
    sourceCodes: jsonb('source_codes').$type<string[]>().notNull(),
    mergedCode: text('merged_code').notNull(),
    /** The union of the sources' polygons and its ellipsoidal area (domain/area.ts). */
    geometry: jsonb('geometry').notNull(),
    areaMu: doublePrecision('area_mu').notNull(),
    /** One situation: the legality class the county states for the merged patch. */
    legality: text('legality').notNull(),
    reason: text('reason').notNull(),
    /** proposed → approved | rejected (or lapsed: a source was determined meanwhile). */
    status: text('status').notNull().default('proposed'),
    proposedBy: text('proposed_by').notNull(),
    decidedBy: text('decided_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    decidedAt: ts('decided_at'),
  },
  (t) => [index('patch_merges_lead_idx').on(t.leadCode)],
);
