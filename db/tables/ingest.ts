/**
 * Batch import jobs and their per-feature outcomes. An import is keyed by batch code + file hash, so the
 * same file imported into the same batch again is the same job (it resumes, it never starts twice).
 * `cursor` is how far the job got: features [0, cursor) are decided and their workflows started.
 */
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const imports = pgTable(
  'imports',
  {
    id: text('id').primaryKey(),
    /** The batch the features go into: created with the first feature that goes in (a file without a valid feature creates none). */
    batchCode: text('batch_code').notNull(),
    /** The batch's particulars as the import named them, and when it was asked for, to create it with. */
    batch: jsonb('batch'),
    fileName: text('file_name').notNull(),
    /** sha256 of the file's bytes. */
    fileHash: text('file_hash').notNull(),
    /** Where the file is kept while the job may still resume. */
    filePath: text('file_path').notNull(),
    format: text('format').notNull(), // geojson | shapefile
    /** The coordinate system the file declared, as understood (e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 117E"). */
    crs: text('crs').notNull(),
    mapping: jsonb('mapping').notNull(),
    /** Who imports: the actor the patches are issued as (kept for resuming). */
    actor: jsonb('actor').notNull(),
    regionCode: varchar('region_code', { length: 6 }).notNull(),
    origin: text('origin').notNull(), // api | cli
    status: text('status').notNull().default('pending'), // pending | running | interrupted | completed | failed
    total: integer('total').notNull(),
    cursor: integer('cursor').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    started: integer('started').notNull().default(0),
    existing: integer('existing').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    warned: integer('warned').notNull().default(0),
    military: integer('military').notNull().default(0),
    /** The latest after-image date seen (YYYY-MM-DD), for the batch's imaging date when none was given. */
    latestImagedOn: text('latest_imaged_on'),
    error: text('error'),
    leaseOwner: text('lease_owner'),
    leaseUntil: ts('lease_until'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [uniqueIndex('imports_batch_file_uq').on(t.batchCode, t.fileHash), index('imports_created_idx').on(t.createdAt)],
);

/**
 * One row per feature of an import, written before its workflow is started. status: accepted (decided,
 * not yet known to be started) | started (this import started its workflow) | existing (the patch already
 * had its process) | rejected.
 */
export const importFeatures = pgTable(
  'import_features',
  {
    importId: text('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    patchCode: text('patch_code'),
    status: text('status').notNull(),
    /** The patch row was inserted by this import (so an "already started" on resume was our own start). */
    created: boolean('created').notNull().default(false),
    military: boolean('military').notNull().default(false),
    countyCode: varchar('county_code', { length: 6 }),
    declaredMu: doublePrecision('declared_mu'),
    computedMu: doublePrecision('computed_mu'),
    imagedOn: text('imaged_on'),
    /** Why it was rejected: [{ rule, params }]. */
    reasons: jsonb('reasons'),
    /** What was odd but let through: [{ rule, params }]. */
    warnings: jsonb('warnings'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.seq] }), index('import_features_code_idx').on(t.importId, t.patchCode)],
);
