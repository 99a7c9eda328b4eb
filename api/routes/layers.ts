/**
 * Reference layers over HTTP (docs/domain.md §13): POST /layers (multipart: file, regionCode, kind,
 * name, and optionally the document number and date fields of an approval layer) imports a new version of the
 * region's layer of that kind; GET /layers lists the versions an actor's region sees.
 */
import { rm } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import { desc, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { referenceLayers, users } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { LAYER_KIND_LABELS, LAYER_KINDS, type LayerKind } from '../../domain/layers';
import { ancestry, isRegionCode } from '../../domain/regions';
import { importLayer } from '../../ingest/layers';
import { describeIssue } from '../../ingest/messages';
import { SourceError } from '../../ingest/source-types';
import { actorOf, requireRole } from '../auth';
import { ApiError, fieldIssue, invalidPayload, wantsEnglish } from '../errors';
import { receiveUpload } from '../services/import-upload';

/** One version of a region's layer, as the administrators' list shows it. */
const layerVersionSchema = z.object({
  id: z.number().int(),
  regionCode: z.string(),
  kind: z.string(),
  version: z.number().int(),
  name: z.string(),
  fileName: z.string().nullable(),
  format: z.string(),
  /** importing | ready | failed */
  status: z.string(),
  featureCount: z.number().int(),
  rejected: z.number().int(),
  /** Summed ellipsoidal area of its polygons, mu. */
  totalMu: z.number(),
  error: z.string().nullable(),
  createdBy: z.number().int().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** The version in force: the latest fully imported one of its region and kind. */
  current: z.boolean(),
});

export function registerLayerRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  app.register(async (scope) => {
    await scope.register(multipart);
    scope.post('/layers', { schema: { tags: ['layers'], consumes: ['multipart/form-data'] } }, async (req, reply) => {
      const actor = requireRole(req, 'administrator');
      if (!req.isMultipart())
        throw invalidPayload(req, [
          fieldIssue(
            'file',
            'multipart_required',
            '请以 multipart/form-data 上传图层文件（字段 file）',
            'upload the layer as multipart/form-data (field "file")',
          ),
        ]);
      const upload = await receiveUpload(req, undefined, { zh: '图层文件', en: 'the layer file' });
      try {
        const f = upload.fields;
        const issues = [];
        if (!upload.file || upload.file.size === 0)
          issues.push(
            fieldIssue(
              'file',
              'file_required',
              '请选择 GeoPackage、Shapefile 压缩包或 GeoJSON 文件',
              'choose a GeoPackage, a zipped shapefile or a GeoJSON file',
            ),
          );
        const regionCode = f.regionCode?.trim() || actor.regionCode;
        if (!isRegionCode(regionCode)) issues.push(fieldIssue('regionCode', 'invalid_region', '行政区代码应为 6 位数字', 'the region code is six digits'));
        else {
          const access = canSeeRegion(actor, regionCode);
          if (!access.ok) issues.push(fieldIssue('regionCode', 'outside_jurisdiction', `该行政区${access.reason}`, `the region's ${access.reasonEn}`));
        }
        const kind = f.kind?.trim() as LayerKind;
        if (!LAYER_KINDS.includes(kind))
          issues.push(
            fieldIssue('kind', 'invalid_enum_value', `图层类型应为：${LAYER_KINDS.join('、')}`, `the layer kind is one of ${LAYER_KINDS.join(', ')}`),
          );
        const name = (f.name?.trim() || (LAYER_KINDS.includes(kind) ? LAYER_KIND_LABELS[kind].zh : '')).slice(0, 200);
        if (issues.length || !upload.file) throw invalidPayload(req, issues);
        try {
          const result = await importLayer(db, upload.file.tmpPath, {
            regionCode,
            kind,
            name,
            fileName: upload.file.fileName,
            createdBy: actor.userId,
            documentNumberField: f.documentNumberField?.trim() || undefined,
            documentDateField: f.documentDateField?.trim() || undefined,
          });
          const english = wantsEnglish(req);
          // Each skipped row with its reasons in words (as an import's report gives them).
          const rejections = result.rejections.map((r) => ({
            seq: r.seq,
            reasons: r.issues.map((i) => ({ rule: i.rule, message: describeIssue(i, english) })),
          }));
          return reply.status(201).send({ id: result.layerId, regionCode, kind, name, ...result, rejections });
        } catch (err) {
          if (err instanceof SourceError)
            throw new ApiError('InvalidPayload', err.message, err.messageEn, [fieldIssue('file', 'unreadable_file', err.message, err.messageEn)]);
          throw err;
        }
      } finally {
        if (upload.file) await rm(upload.file.tmpPath, { force: true });
      }
    });
  });

  r.get(
    '/layers',
    {
      schema: {
        querystring: z.object({
          regionCode: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: { 200: z.object({ data: z.array(layerVersionSchema) }) },
        tags: ['layers'],
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const regionCode = req.query.regionCode ?? actor.regionCode;
      const access = canSeeRegion(actor, regionCode);
      if (!access.ok) throw new ApiError('Forbidden', `该行政区${access.reason}`, `the region's ${access.reasonEn}`);
      // The layers that apply to the region: its own and those of the regions above it.
      const rows = await db
        .select({ layer: referenceLayers, createdByName: users.displayName })
        .from(referenceLayers)
        .leftJoin(users, eq(users.id, referenceLayers.createdBy))
        .where(inArray(referenceLayers.regionCode, ancestry(regionCode)))
        .orderBy(referenceLayers.kind, referenceLayers.regionCode, desc(referenceLayers.version));
      // The version in force of each region's layer of a kind: its latest fully imported one (activities/measurement.ts).
      const current = new Set<number>();
      const seen = new Set<string>();
      for (const { layer } of rows) {
        const key = `${layer.regionCode}:${layer.kind}`;
        if (layer.status !== 'ready' || seen.has(key)) continue;
        seen.add(key);
        current.add(layer.id);
      }
      return {
        data: rows.map(({ layer, createdByName }) => ({
          id: layer.id,
          regionCode: layer.regionCode,
          kind: layer.kind,
          version: layer.version,
          name: layer.name,
          fileName: layer.fileName,
          format: layer.format,
          status: layer.status,
          featureCount: layer.featureCount,
          rejected: layer.rejected,
          totalMu: layer.totalMu,
          error: layer.error,
          createdBy: layer.createdBy,
          createdByName: createdByName ?? null,
          createdAt: layer.createdAt.toISOString(),
          finishedAt: layer.finishedAt?.toISOString() ?? null,
          current: current.has(layer.id),
        })),
      };
    },
  );
}
