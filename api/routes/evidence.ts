/**
 * Evidence files (举证材料): POST /evidence (multipart: `patchCode` and `file`) stores a photo or video by
 * its SHA-256 and records it for the patch, with GPS and capture time read from the file and warnings;
 * GET /evidence lists a patch's files; GET /evidence/:sha256 serves a file to those who may see a patch
 * it belongs to.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { evidenceFiles, patches } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { EVIDENCE_MIME_TYPES, MAX_PHOTO_BYTES, MAX_VIDEO_BYTES, type EvidenceKind, type EvidenceUpload } from '../../domain/evidence';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { msg, SHA256_FORMAT, twinOf } from '../../domain/schemas/messages';
import type { Actor } from '../../domain/types';
import { actorOf } from '../auth';
import { ApiError, fieldIssue, wantsEnglish } from '../errors';
import { discard, evidencePath, FileTooLargeError, keepFile, receiveFile, type ReceivedFile } from '../services/evidence-store';
import { readEvidenceMetadata } from '../services/evidence-metadata';
import { sniffMime } from '../services/evidence-format';
import { evidenceWarnings } from '../services/evidence-warnings';
import { ordering, paging, sendList } from '../simple-rest';
import { classifiedFilter, withinRegion } from '../visibility';

const PATCH_CODE_REQUIRED = msg('请指定图斑编号', 'name the patch (field patchCode)', 'patch_code_required');
const patchCodeSchema = z.string().trim().min(1, PATCH_CODE_REQUIRED).max(60);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/** A refused upload naming its field, in both languages, with a stable code (and the values in the message). */
const fieldError = (path: string, code: string, message: string, messageEn: string, status?: number, params?: Record<string, unknown>) =>
  new ApiError('InvalidPayload', message, messageEn, [fieldIssue(path, code, message, messageEn, params)], status);

type EvidenceRow = typeof evidenceFiles.$inferSelect;

export function registerEvidenceRoutes(app: FastifyInstance, deps: { db: Db; uploadsDir: string }) {
  const { db, uploadsDir } = deps;

  /** The patch, when the actor may see it (military patches do not exist without the permission). */
  async function visiblePatch(actor: Actor, code: string) {
    const [patch] = await db
      .select({ code: patches.code, countyCode: patches.countyCode, military: patches.military, geometry: patches.geometry, issuedAt: patches.issuedAt })
      .from(patches)
      .where(eq(patches.code, code));
    if (!patch || (patch.military && !actor.classified)) {
      throw new ApiError('NotFound', `图斑 ${code} 不存在`, `patch ${code} does not exist`, [
        fieldIssue('patchCode', 'patch_not_found', `图斑 ${code} 不存在`, `patch ${code} does not exist`, { patchCode: code }),
      ]);
    }
    const access = canSeeRegion(actor, patch.countyCode);
    if (!access.ok) throw new ApiError('Forbidden', `该图斑${access.reason}`, `the patch's ${access.reasonEn}`);
    return patch;
  }

  const toAnswer = (row: EvidenceRow, patch: { geometry: unknown; issuedAt: Date }, english: boolean): EvidenceUpload & { id: number } => {
    const gps = row.gpsLat !== null && row.gpsLng !== null ? { lat: row.gpsLat, lng: row.gpsLng } : undefined;
    const capturedAt = row.capturedAt?.toISOString();
    const kind = row.kind as EvidenceKind;
    return {
      id: row.id,
      sha256: row.sha256,
      kind,
      name: row.originalName ?? undefined,
      mime: row.mime,
      size: row.size,
      patchCode: row.patchCode,
      ...(gps && { gps }),
      ...(capturedAt && { capturedAt }),
      ...(row.direction !== null && { direction: row.direction, directionRef: (row.directionRef ?? 'T') as 'T' | 'M' }),
      warnings: evidenceWarnings({ kind, gps, capturedAt, uploadedAt: row.createdAt }, patch, english),
      uploadedAt: row.createdAt.toISOString(),
    };
  };

  app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_VIDEO_BYTES, files: 1, fields: 5, fieldSize: 1024 } });
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post('/evidence', { schema: { querystring: z.object({ patchCode: z.string().max(60).optional() }), tags: ['evidence'] } }, async (req, reply) => {
      const actor = actorOf(req);
      const english = wantsEnglish(req);
      if (!req.isMultipart()) {
        throw fieldError(
          'file',
          'multipart_required',
          '请以 multipart/form-data 上传文件（字段 file）',
          'upload the file as multipart/form-data (field "file")',
          415,
        );
      }
      const { patchCode: rawCode, file, declared } = await readParts(req, uploadsDir);
      try {
        const code = patchCodeSchema.safeParse(rawCode ?? '');
        if (!code.success) throw fieldError('patchCode', 'patch_code_required', PATCH_CODE_REQUIRED, twinOf(PATCH_CODE_REQUIRED)!.en);
        if (!file) throw fieldError('file', 'file_required', '请选择要上传的照片或视频', 'choose a photo or video to upload (field "file")');
        const patch = await visiblePatch(actor, code.data);
        if (file.size === 0) throw fieldError('file', 'file_empty', '文件为空', 'the file is empty');
        const mime = sniffMime(file.head);
        if (!mime) {
          const accepted = Object.keys(EVIDENCE_MIME_TYPES).join(', ');
          throw fieldError(
            'file',
            'unsupported_type',
            `不支持的文件类型（${declared?.mimetype || '未知'}）：只接受照片（JPEG、PNG、WebP、HEIC）和视频（MP4、MOV、WebM）`,
            `unsupported file type (${declared?.mimetype || 'unknown'}): accepted are ${accepted}`,
            415,
            { declared: declared?.mimetype || null, accepted: Object.keys(EVIDENCE_MIME_TYPES) },
          );
        }
        const kind = EVIDENCE_MIME_TYPES[mime];
        if (kind === 'photo' && file.size > MAX_PHOTO_BYTES) {
          throw fieldError('file', 'photo_too_large', `照片不得超过 ${mb(MAX_PHOTO_BYTES)}`, `photos may not exceed ${mb(MAX_PHOTO_BYTES)}`, 413, {
            maxBytes: MAX_PHOTO_BYTES,
          });
        }
        const meta = await readEvidenceMetadata(file.tmpPath, mime);
        await keepFile(uploadsDir, file);
        const name = declared?.filename ? declared.filename.slice(0, 255) : undefined;
        const row = await db.transaction(async (tx) => {
          const [inserted] = await tx
            .insert(evidenceFiles)
            .values({
              sha256: file.sha256,
              patchCode: patch.code,
              kind,
              mime,
              size: file.size,
              originalName: name ?? null,
              uploadedBy: actor.userId,
              gpsLat: meta.gps?.lat ?? null,
              gpsLng: meta.gps?.lng ?? null,
              capturedAt: meta.capturedAt ? new Date(meta.capturedAt) : null,
              direction: meta.direction ?? null,
              directionRef: meta.directionRef ?? null,
            })
            .onConflictDoNothing()
            .returning();
          if (inserted) {
            await writeAudit(tx, {
              eventKey: `evidence:${patch.code}:${file.sha256}`,
              actor,
              action: 'evidence.uploaded',
              patchCode: patch.code,
              after: { sha256: file.sha256, kind, name, gps: meta.gps, capturedAt: meta.capturedAt, direction: meta.direction },
            });
          }
          return {
            created: Boolean(inserted),
            row:
              inserted ??
              (
                await tx
                  .select()
                  .from(evidenceFiles)
                  .where(and(eq(evidenceFiles.sha256, file.sha256), eq(evidenceFiles.patchCode, patch.code)))
              )[0],
          };
        });
        return reply.status(row.created ? 201 : 200).send({ ...toAnswer(row.row, patch, english), duplicate: !row.created });
      } finally {
        await discard(file);
      }
    });
  });

  const r = app.withTypeProvider<ZodTypeProvider>();

  /** The patch's code lineage, and for a merged patch (or one split from it) the lineages of the patches merged into it. */
  async function evidenceLineage(code: string): Promise<string[]> {
    const codes = patchLineage(code);
    const merged = await db.select({ from: patches.mergedFrom }).from(patches).where(inArray(patches.code, codes));
    for (const source of merged.flatMap((m) => m.from ?? [])) for (const c of patchLineage(source)) if (!codes.includes(c)) codes.push(c);
    return codes;
  }

  r.get('/evidence', { schema: { querystring: listQuerySchema, tags: ['evidence'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const where: Array<SQL | undefined> = [withinRegion(patches.countyCode, actor.regionCode), classifiedFilter(actor, patches.military)];
    // `lineage`: the patch's own files and those of the patches it was split from (code lineage: A → A_1 → A_1_2)
    // or merged from (合并), offered again on its later tasks instead of being evidenced twice (重复举证).
    if (typeof f.patchCode === 'string')
      where.push(f.lineage === true ? inArray(evidenceFiles.patchCode, await evidenceLineage(f.patchCode)) : eq(evidenceFiles.patchCode, f.patchCode));
    if (Array.isArray(f.id)) where.push(inArray(evidenceFiles.id, f.id.map(Number).filter(Number.isInteger)));
    if (typeof f.sha256 === 'string') where.push(eq(evidenceFiles.sha256, f.sha256));
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query, 50);
    const order = ordering(req.query, { id: evidenceFiles.id, createdAt: evidenceFiles.createdAt, capturedAt: evidenceFiles.capturedAt }, [
      asc(evidenceFiles.id),
    ]);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select({ file: evidenceFiles, geometry: patches.geometry, issuedAt: patches.issuedAt })
        .from(evidenceFiles)
        .innerJoin(patches, eq(patches.code, evidenceFiles.patchCode))
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(evidenceFiles).innerJoin(patches, eq(patches.code, evidenceFiles.patchCode)).where(cond),
    ]);
    const english = wantsEnglish(req);
    return sendList(
      reply,
      'evidence',
      rows.map((x) => toAnswer(x.file, x, english)),
      start,
      total,
    );
  });

  /**
   * 举证一次、多处使用: a file already stored for a patch the actor may see is linked to another patch (a child
   * of a split, the same place checked again) without being uploaded again: a row for the patch with what was
   * read from the file. 201 when linked, 200 when it already was.
   */
  r.post(
    '/evidence/link',
    {
      schema: {
        body: z.strictObject({ patchCode: patchCodeSchema, sha256: z.string().regex(/^[0-9a-f]{64}$/, SHA256_FORMAT) }),
        tags: ['evidence'],
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const patch = await visiblePatch(actor, req.body.patchCode);
      const sources = await db
        .select({ file: evidenceFiles, countyCode: patches.countyCode, military: patches.military })
        .from(evidenceFiles)
        .innerJoin(patches, eq(patches.code, evidenceFiles.patchCode))
        .where(eq(evidenceFiles.sha256, req.body.sha256));
      const source = sources.find((x) => (!x.military || actor.classified) && canSeeRegion(actor, x.countyCode).ok)?.file;
      if (!source) throw new ApiError('NotFound', '文件不存在', 'no such file', [fieldIssue('sha256', 'file_not_found', '文件不存在', 'no such file')]);
      const english = wantsEnglish(req);
      const result = await db.transaction(async (tx) => {
        const [inserted] = await tx
          .insert(evidenceFiles)
          .values({ ...source, id: undefined, patchCode: patch.code, uploadedBy: actor.userId, createdAt: new Date() })
          .onConflictDoNothing()
          .returning();
        if (inserted) {
          await writeAudit(tx, {
            eventKey: `evidence:${patch.code}:${source.sha256}`,
            actor,
            action: 'evidence.linked',
            patchCode: patch.code,
            after: { sha256: source.sha256, from: source.patchCode, kind: source.kind, name: source.originalName },
          });
        }
        const row =
          inserted ??
          (
            await tx
              .select()
              .from(evidenceFiles)
              .where(and(eq(evidenceFiles.sha256, source.sha256), eq(evidenceFiles.patchCode, patch.code)))
          )[0];
        return { created: Boolean(inserted), row };
      });
      return reply.status(result.created ? 201 : 200).send({ ...toAnswer(result.row, patch, english), duplicate: !result.created });
    },
  );

  r.get(
    '/evidence/:sha256',
    { schema: { params: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, SHA256_FORMAT) }), tags: ['evidence'] } },
    async (req, reply) => {
      const actor = actorOf(req);
      const rows = await db
        .select({ file: evidenceFiles, countyCode: patches.countyCode, military: patches.military })
        .from(evidenceFiles)
        .innerJoin(patches, eq(patches.code, evidenceFiles.patchCode))
        .where(eq(evidenceFiles.sha256, req.params.sha256));
      // Served to whoever may see one of the patches it was uploaded for; to anyone else it does not exist.
      const row = rows.find((x) => (!x.military || actor.classified) && canSeeRegion(actor, x.countyCode).ok);
      const file = row && evidencePath(uploadsDir, row.file.sha256);
      const size = file
        ? await stat(file).then(
            (s) => s.size,
            () => undefined,
          )
        : undefined;
      if (!row || !file || size === undefined) throw new ApiError('NotFound', '文件不存在', 'no such file');
      const name = row.file.originalName ?? row.file.sha256;
      return reply
        .header('content-type', row.file.mime)
        .header('content-length', size)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
        .send(createReadStream(file));
    },
  );
}

/** Reads the multipart parts: `patchCode` (field) and `file` (the first file part); the file goes to a temporary file. */
async function readParts(req: FastifyRequest, uploadsDir: string) {
  let patchCode = (req.query as { patchCode?: string }).patchCode;
  let file: ReceivedFile | undefined;
  let declared: { mimetype: string; filename: string } | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === 'patchCode') patchCode = String(part.value);
      } else if (part.fieldname === 'file' && !file) {
        declared = { mimetype: part.mimetype, filename: part.filename };
        // A photo is known by its first bytes: one over its limit stops there (a video's limit is the multipart one).
        file = await receiveFile(part.file, uploadsDir, (head) =>
          sniffMime(head) && EVIDENCE_MIME_TYPES[sniffMime(head)!] === 'photo' ? MAX_PHOTO_BYTES : undefined,
        );
      } else {
        part.file.resume();
      }
    }
  } catch (err) {
    await discard(file);
    if (err instanceof FileTooLargeError) {
      throw fieldError('file', 'photo_too_large', `照片不得超过 ${mb(MAX_PHOTO_BYTES)}`, `photos may not exceed ${mb(MAX_PHOTO_BYTES)}`, 413, {
        maxBytes: MAX_PHOTO_BYTES,
      });
    }
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw fieldError('file', 'file_too_large', `文件不得超过 ${mb(MAX_VIDEO_BYTES)}`, `files may not exceed ${mb(MAX_VIDEO_BYTES)}`, 413, {
        maxBytes: MAX_VIDEO_BYTES,
      });
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw fieldError('file', 'one_file_only', '一次只能上传一个文件', 'upload one file at a time');
    }
    throw err;
  }
  return { patchCode, file, declared };
}

/** A patch code and the codes it was split from (parent code plus `_1`, `_2` …): A_1_2 → [A_1_2, A_1, A]. */
export function patchLineage(code: string): string[] {
  const out = [code];
  // Only numbered children's suffixes: an underscore inside an issued code is part of that code.
  for (let c = code, m = /_\d+$/.exec(c); m && m.index > 0; m = /_\d+$/.exec(c)) {
    c = c.slice(0, m.index);
    out.push(c);
  }
  return out;
}
