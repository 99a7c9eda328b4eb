/**
 * 举证材料批量导出: GET /evidence/export?batchCode=|regionCode= answers a zip, streamed as it is written (yazl;
 * each file is read from the uploads folder only when its turn comes, nothing is held in memory but the
 * manifest's rows): one folder per patch code with its photos and videos and its determination
 * (`determination.json`), and at the top a manifest in CSV and JSON — each file's SHA-256, GPS, direction,
 * capture time and the patch's determination (land and mineral). Military patches are exported only to a
 * user holding the classified-handling permission (000 二(二); 002 三(三); 004 三(二)); to anyone else they do
 * not exist here either. Audited (`evidence.exported`).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import yazl from 'yazl';
import { z } from 'zod';
import { writeAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { evidenceFiles, patches } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import type { Determination } from '../../domain/legality';
import { actorOf } from '../auth';
import { ApiError, fieldIssue } from '../errors';
import { evidencePath } from '../services/evidence-store';
import { classifiedFilter, withinRegion } from '../visibility';

const PAGE = 500;

export const MANIFEST_COLUMNS = [
  'patchCode',
  'path',
  'sha256',
  'kind',
  'mime',
  'size',
  'lat',
  'lng',
  'direction',
  'directionRef',
  'capturedAt',
  'uploadedAt',
  'legality',
  'subType',
  'mineralFinding',
] as const;

type ManifestRow = Record<(typeof MANIFEST_COLUMNS)[number], string | number | null>;

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // Quoted where needed; a leading = + - @ is prefixed so that a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** A name safe in a zip path: no folders, no control characters, not empty. */
const safeName = (name: string) => name.replace(/[\\/\u0000-\u001f:*?"<>|]/g, '_').slice(0, 120) || 'file';

export function registerEvidenceExportRoutes(app: FastifyInstance, deps: { db: Db; uploadsDir: string }) {
  const { db, uploadsDir } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/evidence/export',
    {
      schema: {
        querystring: z.object({
          batchCode: z.string().trim().min(1).max(100).optional(),
          regionCode: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        tags: ['evidence'],
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { batchCode, regionCode } = req.query;
      if (!batchCode && !regionCode) {
        throw new ApiError('InvalidPayload', '请指定批次（batchCode）或行政区（regionCode）', 'name a batch (batchCode) or a region (regionCode)', [
          fieldIssue('batchCode', 'selection_required', '请指定批次或行政区', 'name a batch or a region'),
        ]);
      }
      if (regionCode) {
        const access = canSeeRegion(actor, regionCode);
        if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
      }
      const where: Array<SQL | undefined> = [
        withinRegion(patches.countyCode, actor.regionCode),
        classifiedFilter(actor, patches.military),
        regionCode ? withinRegion(patches.countyCode, regionCode) : undefined,
        batchCode ? eq(patches.batchCode, batchCode) : undefined,
      ];

      const zip = new yazl.ZipFile();
      const json: ManifestRow[] = [];
      const csv: string[] = [MANIFEST_COLUMNS.join(',')];
      let files = 0;
      let patchCount = 0;
      const add = async () => {
        let after = '';
        for (;;) {
          const page = await db
            .select({ code: patches.code, legality: patches.legality, determination: patches.determination })
            .from(patches)
            .where(and(...where, after ? gt(patches.code, after) : undefined))
            .orderBy(asc(patches.code))
            .limit(PAGE);
          if (page.length === 0) return;
          after = page[page.length - 1].code;
          const rows = await db
            .select()
            .from(evidenceFiles)
            .where(
              inArray(
                evidenceFiles.patchCode,
                page.map((p) => p.code),
              ),
            )
            .orderBy(asc(evidenceFiles.patchCode), asc(evidenceFiles.id));
          for (const p of page) {
            const own = rows.filter((e) => e.patchCode === p.code);
            const d = p.determination as Determination | null;
            if (!own.length && !d) continue;
            patchCount++;
            const folder = safeName(p.code);
            if (d) zip.addBuffer(Buffer.from(JSON.stringify({ patchCode: p.code, determination: d }, null, 2)), `${folder}/determination.json`);
            for (const e of own) {
              const path = `${folder}/${e.sha256.slice(0, 12)}_${safeName(e.originalName ?? `${e.kind}`)}`;
              zip.addReadStreamLazy(path, { mtime: e.capturedAt ?? e.createdAt, compress: false, size: e.size }, (cb) => {
                const stream = createReadStream(evidencePath(uploadsDir, e.sha256));
                stream.once('error', (err) => req.log.warn({ err, sha256: e.sha256 }, 'evidence file unreadable during export'));
                cb(null, stream);
              });
              files++;
              const row: ManifestRow = {
                patchCode: p.code,
                path,
                sha256: e.sha256,
                kind: e.kind,
                mime: e.mime,
                size: e.size,
                lat: e.gpsLat,
                lng: e.gpsLng,
                direction: e.direction,
                directionRef: e.direction === null ? null : (e.directionRef ?? 'T'),
                capturedAt: e.capturedAt?.toISOString() ?? null,
                uploadedAt: e.createdAt.toISOString(),
                legality: p.legality,
                subType: d?.subType ?? null,
                mineralFinding: d?.mineral?.finding ?? null,
              };
              json.push(row);
              csv.push(MANIFEST_COLUMNS.map((c) => csvCell(row[c])).join(','));
            }
          }
        }
      };
      await add();
      // The CSV opens in Excel with its Chinese intact (BOM).
      zip.addBuffer(Buffer.from(`\ufeff${csv.join('\r\n')}\r\n`), 'manifest.csv');
      zip.addBuffer(Buffer.from(JSON.stringify({ batchCode: batchCode ?? null, regionCode: regionCode ?? null, files: json }, null, 2)), 'manifest.json');
      zip.end();
      await writeAudit(db, {
        eventKey: `evidence-export:${actor.userId}:${randomUUID()}`,
        actor,
        action: 'evidence.exported',
        after: { batchCode, regionCode, patches: patchCount, files },
      });
      const name = `举证材料_${batchCode ?? regionCode}.zip`;
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="evidence.zip"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('cache-control', 'no-store')
        .send(zip.outputStream);
    },
  );
}
