/**
 * Evidence files (photos and videos, 举证材料). The file itself is stored once under the uploads
 * folder, named by its SHA-256; a row records it for one patch, with what was read from the file.
 * The same file uploaded again for the same patch is the same row.
 */
import { doublePrecision, index, integer, pgTable, serial, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { patches, users } from './core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: serial('id').primaryKey(),
    /** Hex SHA-256 of the content: also the stored file's name. */
    sha256: varchar('sha256', { length: 64 }).notNull(),
    patchCode: text('patch_code')
      .notNull()
      .references(() => patches.code),
    kind: text('kind').notNull(), // photo | video
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    originalName: text('original_name'),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    gpsLat: doublePrecision('gps_lat'),
    gpsLng: doublePrecision('gps_lng'),
    capturedAt: ts('captured_at'),
    /** EXIF GPSImgDirection: the way the camera faced, degrees clockwise from north (true or magnetic: directionRef). */
    direction: doublePrecision('direction'),
    directionRef: text('direction_ref'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evidence_files_sha_patch_uq').on(t.sha256, t.patchCode), index('evidence_files_patch_idx').on(t.patchCode)],
);
