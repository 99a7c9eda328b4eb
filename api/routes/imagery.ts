/**
 * Imagery for 内业比对 (000 一: imagery comes with the patch vectors; 004 三): a batch's before/after
 * GeoTIFFs or tile archives (PMTiles, MBTiles; their tiles also served one by one) (uploaded, or referenced by a path under the server's imagery folder), each patch's imagery
 * with its region's imagery services, and the files themselves — served with HTTP range requests (a
 * Cloud-Optimized GeoTIFF is read by ranges) under the API's authorisation. Military patches: no imagery
 * of them to anyone without the classified-handling permission (000, 002, 004), and no scene that may cover one.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, realpath, rename } from 'node:fs/promises';
import path from 'node:path';
import multipart from '@fastify/multipart';
import send from '@fastify/send';
import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { batches, imagery, patches, regionImageryServices, regions } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { ancestry } from '../../domain/regions';
import { imageryPhaseSchema, imageryReferenceSchema, imageryServicesBodySchema, type ImageryService } from '../../domain/schemas/imagery';
import type { Actor } from '../../domain/types';
import { ImageryFileError, recordImagery, type ImageryPhase } from '../../services/imagery';
import { detectImageryFormat, type ImageryFormat, readTile } from '../../services/tile-archives';
import { actorOf, requireRole } from '../auth';
import { ApiError, fieldIssue } from '../errors';
import { discard, receiveFile, type ReceivedFile } from '../services/evidence-store';

const MAX_IMAGERY_BYTES = 2 * 1024 ** 3;
const CONTENT_TYPES: Record<ImageryFormat, string> = {
  cog: 'image/tiff',
  pmtiles: 'application/vnd.pmtiles',
  mbtiles: 'application/vnd.sqlite3',
};
const codeParam = z.object({ code: z.string().min(1).max(60) });

const fieldError = (field: string, code: string, message: string, messageEn: string, status?: number) =>
  new ApiError('InvalidPayload', message, messageEn, [fieldIssue(field, code, message, messageEn)], status);

/** Origins of the regions' imagery services, for the CSP's img-src (refreshed when they change). */
export class ImageryOrigins {
  private origins = new Set<string>();
  constructor(private readonly db: Db) {}
  async refresh() {
    const rows = await this.db.select({ services: regionImageryServices.services }).from(regionImageryServices);
    const next = new Set<string>();
    for (const row of rows) for (const s of row.services as ImageryService[]) next.add(originOfTemplate(s.url));
    this.origins = next;
  }
  list() {
    return [...this.origins].filter(Boolean);
  }
}

export const originOfTemplate = (template: string) => {
  try {
    return new URL(template.replace(/\{s\}/g, 'subdomain-wildcard').replace(/\{[^}]*\}/g, '0')).origin.replace('subdomain-wildcard', '*');
  } catch {
    return '';
  }
};

export function registerImageryRoutes(app: FastifyInstance, deps: { db: Db; imageryDir: string; origins?: ImageryOrigins }) {
  const { db, imageryDir } = deps;

  /** The patch, when the actor may see it (military patches do not exist without the permission). */
  async function visiblePatch(actor: Actor, code: string) {
    const [patch] = await db
      .select({
        code: patches.code,
        batchCode: patches.batchCode,
        countyCode: patches.countyCode,
        military: patches.military,
        centroid: patches.centroid,
        imagedAt: patches.imagedAt,
      })
      .from(patches)
      .where(eq(patches.code, code));
    if (!patch || (patch.military && !actor.classified)) throw new ApiError('NotFound', `图斑 ${code} 不存在`, `patch ${code} does not exist`);
    const access = canSeeRegion(actor, patch.countyCode);
    if (!access.ok) throw new ApiError('Forbidden', `该图斑${access.reason}`, `the patch's ${access.reasonEn}`);
    return patch;
  }

  /** The patch's rasters: its own chips and the scenes of its batch that contain its centre. */
  async function imageryOf(actor: Actor, patch: Awaited<ReturnType<typeof visiblePatch>>) {
    if (!patch.batchCode) return [];
    const [lng, lat] = (patch.centroid as [number, number] | null) ?? [Number.NaN, Number.NaN];
    const rows = await db
      .select()
      .from(imagery)
      .where(
        or(
          eq(imagery.patchCode, patch.code),
          Number.isFinite(lng)
            ? and(
                eq(imagery.batchCode, patch.batchCode),
                isNull(imagery.patchCode),
                lte(imagery.west, lng),
                gte(imagery.east, lng),
                lte(imagery.south, lat),
                gte(imagery.north, lat),
              )
            : sql`false`,
        ),
      )
      .orderBy(asc(imagery.id));
    if (actor.classified) return rows;
    // A scene that may cover a military patch of its batch is not shown without the permission. A military
    // patch's location is not stored (services/issue-patch.ts), so one whose centre is unknown may be anywhere.
    const scenes = rows.filter((r) => r.patchCode === null);
    if (!scenes.length) return rows;
    const military = await db
      .select({ centroid: patches.centroid })
      .from(patches)
      .where(and(eq(patches.batchCode, patch.batchCode), eq(patches.military, true)));
    const mayCoverMilitary = (r: typeof imagery.$inferSelect) =>
      military.some(({ centroid }) => {
        if (!centroid) return true;
        const [x, y] = centroid as [number, number];
        return x >= r.west && x <= r.east && y >= r.south && y <= r.north;
      });
    return rows.filter((r) => r.patchCode !== null || !mayCoverMilitary(r));
  }

  /** The imagery services of the patch's county, or else of its city, province or the nation. */
  async function servicesFor(countyCode: string): Promise<ImageryService[]> {
    const chain = ancestry(countyCode);
    const rows = await db.select().from(regionImageryServices).where(inArray(regionImageryServices.regionCode, chain));
    const nearest = chain
      .slice()
      .reverse()
      .map((code) => rows.find((r) => r.regionCode === code))
      .find(Boolean);
    return (nearest?.services as ImageryService[] | undefined) ?? [];
  }

  async function existingBatch(code: string) {
    const [batch] = await db.select({ code: batches.code }).from(batches).where(eq(batches.code, code));
    if (!batch) throw new ApiError('NotFound', `批次 ${code} 不存在`, `batch ${code} does not exist`);
  }

  async function record(
    actor: Actor,
    batchCode: string,
    entry: { phase: ImageryPhase; path: string; patchCode?: string; imagedAt?: string; source?: string },
    field: 'file' | 'path' = 'file',
  ) {
    if (entry.patchCode) {
      const patch = await visiblePatch(actor, entry.patchCode);
      if (patch.batchCode !== batchCode)
        throw fieldError(
          'patchCode',
          'patch_not_in_batch',
          `图斑 ${entry.patchCode} 不属于批次 ${batchCode}`,
          `patch ${entry.patchCode} is not in batch ${batchCode}`,
        );
    }
    try {
      const row = await recordImagery(db, {
        batchCode,
        patchCode: entry.patchCode ?? null,
        phase: entry.phase,
        path: entry.path,
        imagedAt: entry.imagedAt ? new Date(entry.imagedAt) : null,
        source: entry.source ?? null,
        uploadedBy: actor.userId || null,
      });
      await writeAudit(db, {
        eventKey: `imagery:${row.id}`,
        actor,
        action: 'imagery.added',
        patchCode: entry.patchCode,
        after: { batchCode, phase: row.phase, imageryId: row.id, bounds: [row.west, row.south, row.east, row.north] },
      });
      return toAnswer(row);
    } catch (err) {
      if (err instanceof ImageryFileError) throw fieldError(field, err.code, err.message, err.messageEn, 422);
      throw err;
    }
  }

  const toAnswer = (row: typeof imagery.$inferSelect, patchCode?: string) => ({
    id: row.id,
    batchCode: row.batchCode,
    patchCode: row.patchCode,
    phase: row.phase as ImageryPhase,
    format: row.format,
    size: row.size,
    imagedAt: row.imagedAt?.toISOString() ?? null,
    bounds: [row.west, row.south, row.east, row.north] as [number, number, number, number],
    source: row.source,
    // A tile archive's zooms, and its tiles (XYZ) under the patch's authorisation.
    ...(row.format !== 'cog' && { minZoom: row.minZoom, maxZoom: row.maxZoom }),
    ...(patchCode && { url: `/api/patches/${encodeURIComponent(patchCode)}/imagery/${row.id}` }),
    ...(patchCode && row.format !== 'cog' && { tiles: `/api/patches/${encodeURIComponent(patchCode)}/imagery/${row.id}/tiles/{z}/{x}/{y}` }),
  });

  app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: MAX_IMAGERY_BYTES, files: 1, fields: 6, fieldSize: 1024 } });
    const r = scope.withTypeProvider<ZodTypeProvider>();
    // A GeoTIFF uploaded with the batch (multipart: phase, patchCode?, imagedAt?, source?, file).
    r.post('/batches/:code/imagery', { schema: { params: codeParam, tags: ['imagery'] } }, async (req, reply) => {
      const actor = requireRole(req, 'administrator');
      await existingBatch(req.params.code);
      if (!req.isMultipart())
        throw fieldError(
          'file',
          'multipart_required',
          '请以 multipart/form-data 上传文件（字段 file）',
          'upload the file as multipart/form-data (field "file")',
          415,
        );
      const { fields, file, filename } = await readParts(req, imageryDir);
      try {
        const phase = imageryPhaseSchema.safeParse(fields.phase);
        if (!phase.success) throw fieldError('phase', 'phase_required', '请指定时相：before（前时相）或 after（后时相）', 'name the phase: before or after');
        if (!file || file.size === 0)
          throw fieldError(
            'file',
            'file_required',
            '请选择影像文件（GeoTIFF、PMTiles 或 MBTiles）',
            'choose a GeoTIFF, PMTiles or MBTiles file (field "file")',
          );
        const imagedAt = fields.imagedAt ? z.iso.datetime({ offset: true }).or(z.iso.date()).safeParse(fields.imagedAt) : undefined;
        if (imagedAt && !imagedAt.success) throw fieldError('imagedAt', 'invalid_date', '成像日期格式无效', 'imagedAt is not a date');
        const dir = path.join(imageryDir, 'uploads');
        await mkdir(dir, { recursive: true });
        // The kind is told from the content, not the name: GeoTIFF, PMTiles or MBTiles.
        const format = await detectImageryFormat(file.tmpPath).catch(() => null);
        // Content that is none of them keeps an archive's name, for the error to say what was expected.
        const ext =
          format === 'pmtiles' || format === 'mbtiles'
            ? format
            : format === null && /\.(pmtiles|mbtiles)$/i.test(filename ?? '')
              ? filename!.split('.').pop()!.toLowerCase()
              : 'tif';
        const kept = path.join(dir, `${file.sha256}.${ext}`);
        await rename(file.tmpPath, kept);
        const answer = await record(actor, req.params.code, {
          phase: phase.data,
          path: kept,
          patchCode: fields.patchCode || undefined,
          imagedAt: imagedAt?.data ? new Date(imagedAt.data).toISOString() : undefined,
          source: fields.source || undefined,
        });
        return reply.status(201).send(answer);
      } finally {
        await discard(file);
      }
    });
  });

  const r = app.withTypeProvider<ZodTypeProvider>();

  // A GeoTIFF already on the server (a whole scene, say), under the imagery folder.
  r.post('/batches/:code/imagery/reference', { schema: { params: codeParam, body: imageryReferenceSchema, tags: ['imagery'] } }, async (req, reply) => {
    const actor = requireRole(req, 'administrator');
    await existingBatch(req.params.code);
    const root = await realpath(imageryDir).catch(() => undefined);
    const full = await realpath(path.resolve(imageryDir, req.body.path)).catch(() => undefined);
    if (!root || !full?.startsWith(root + path.sep))
      throw fieldError(
        'path',
        'path_outside_imagery',
        `文件须位于服务器影像目录（${imageryDir}）内且存在`,
        `the file must exist inside the server's imagery folder (${imageryDir})`,
      );
    return reply.status(201).send(await record(actor, req.params.code, { ...req.body, path: full }, 'path'));
  });

  r.get('/patches/:code/imagery', { schema: { params: codeParam, tags: ['imagery'] } }, async (req) => {
    const actor = actorOf(req);
    const patch = await visiblePatch(actor, req.params.code);
    const rows = await imageryOf(actor, patch);
    const answers = rows.map((row) => toAnswer(row, patch.code));
    return {
      patchCode: patch.code,
      centre: (patch.centroid as [number, number] | null) ?? null,
      before: answers.filter((a) => a.phase === 'before'),
      after: answers.filter((a) => a.phase === 'after'),
      services: await servicesFor(patch.countyCode),
    };
  });

  r.get(
    '/patches/:code/imagery/:id',
    { schema: { params: z.object({ code: z.string().min(1).max(60), id: z.coerce.number().int().positive() }), tags: ['imagery'] } },
    async (req, reply) => {
      const actor = actorOf(req);
      const patch = await visiblePatch(actor, req.params.code);
      const row = (await imageryOf(actor, patch)).find((x) => x.id === req.params.id);
      if (!row) throw new ApiError('NotFound', '影像不存在', 'no such imagery');
      const sent = await send(req.raw, path.basename(row.path), { root: path.dirname(row.path), acceptRanges: true, cacheControl: false, dotfiles: 'allow' });
      if (sent.statusCode >= 400 && sent.statusCode !== 416) throw new ApiError('NotFound', '影像文件不存在', 'the imagery file is missing');
      return reply
        .status(sent.statusCode)
        .headers(sent.headers as Record<string, string>)
        .header('content-type', CONTENT_TYPES[row.format as ImageryFormat] ?? 'application/octet-stream')
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(sent.stream);
    },
  );

  // A tile of a tile archive (XYZ, y from the north), under the same authorisation as the file: a military
  // patch's chip, or a scene that may cover one, reaches no one without the classified permission.
  r.get(
    '/patches/:code/imagery/:id/tiles/:z/:x/:y',
    {
      schema: {
        params: z.object({
          code: z.string().min(1).max(60),
          id: z.coerce.number().int().positive(),
          z: z.coerce.number().int().min(0).max(30),
          x: z.coerce.number().int().min(0),
          y: z.coerce.number().int().min(0),
        }),
        tags: ['imagery'],
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const patch = await visiblePatch(actor, req.params.code);
      const row = (await imageryOf(actor, patch)).find((x) => x.id === req.params.id);
      if (!row || row.format === 'cog') throw new ApiError('NotFound', '瓦片影像不存在', 'no such tile archive');
      let tile: Awaited<ReturnType<typeof readTile>>;
      try {
        tile = await readTile(row.format as ImageryFormat, row.path, req.params.z, req.params.x, req.params.y);
      } catch {
        throw new ApiError('NotFound', '瓦片影像文件不存在或已损坏', 'the tile archive is missing or broken');
      }
      reply.header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff');
      // No tile there (outside the archive): an empty answer, which the map leaves blank.
      if (!tile) return reply.status(204).send();
      return reply.header('content-type', tile.contentType).send(Buffer.from(tile.data));
    },
  );

  const regionParam = z.object({ code: z.string().regex(/^\d{6}$/) });
  r.get('/regions/:code/imagery-services', { schema: { params: regionParam, tags: ['imagery'] } }, async (req) => {
    const actor = actorOf(req);
    const access = canSeeRegion(actor, req.params.code);
    if (!access.ok && !ancestry(actor.regionCode).includes(req.params.code)) throw new ApiError('Forbidden', access.reason, access.reasonEn);
    const [row] = await db.select().from(regionImageryServices).where(eq(regionImageryServices.regionCode, req.params.code));
    return { regionCode: req.params.code, services: (row?.services as ImageryService[] | undefined) ?? [] };
  });

  r.put('/regions/:code/imagery-services', { schema: { params: regionParam, body: imageryServicesBodySchema, tags: ['imagery'] } }, async (req) => {
    const actor = requireRole(req, 'administrator');
    const access = canSeeRegion(actor, req.params.code);
    if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
    const [known] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, req.params.code));
    if (!known) throw new ApiError('NotFound', `行政区 ${req.params.code} 不存在`, `region ${req.params.code} does not exist`);
    const services = req.body.services;
    await db
      .insert(regionImageryServices)
      .values({ regionCode: req.params.code, services, updatedBy: actor.userId || null })
      .onConflictDoUpdate({ target: regionImageryServices.regionCode, set: { services, updatedBy: actor.userId || null, updatedAt: new Date() } });
    await writeAudit(db, {
      eventKey: `imagery-services:${req.params.code}:${randomUUID()}`,
      actor,
      action: 'imagery.services_set',
      after: { regionCode: req.params.code, services },
    });
    await deps.origins?.refresh();
    return { regionCode: req.params.code, services };
  });
}

/** The multipart's fields and its one file (into a temporary file under the imagery folder). */
async function readParts(req: FastifyRequest, imageryDir: string) {
  const fields: Record<string, string> = {};
  let file: ReceivedFile | undefined;
  let filename: string | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') fields[part.fieldname] = String(part.value);
      else if (part.fieldname === 'file' && !file) {
        filename = part.filename;
        file = await receiveFile(part.file, imageryDir);
      } else part.file.resume();
    }
  } catch (err) {
    await discard(file);
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fieldError('file', 'file_too_large', '影像文件不得超过 2 GB', 'imagery files may not exceed 2 GB', 413);
    throw err;
  }
  return { fields, file, filename };
}
