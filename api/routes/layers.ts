/**
 * Reference layers over HTTP (docs/domain.md §13): POST /layers (multipart: file, regionCode, kind,
 * name, and optionally the document number and date fields of an approval layer) imports a new version of the
 * region's layer of that kind; GET /layers lists the versions an actor's region sees.
 */
import { rm } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import { desc, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { referenceLayers } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { LAYER_KIND_LABELS, LAYER_KINDS, type LayerKind } from '../../domain/layers';
import { ancestry, isRegionCode } from '../../domain/regions';
import { importLayer } from '../../ingest/layers';
import { SourceError } from '../../ingest/source-types';
import { actorOf, requireRole } from '../auth';
import { ApiError, fieldIssue, invalidPayload } from '../errors';
import { receiveUpload } from '../services/import-upload';

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
      const upload = await receiveUpload(req);
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
          return reply.status(201).send({ id: result.layerId, regionCode, kind, name, ...result });
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
        .select()
        .from(referenceLayers)
        .where(inArray(referenceLayers.regionCode, ancestry(regionCode)))
        .orderBy(referenceLayers.kind, desc(referenceLayers.version));
      return { data: rows };
    },
  );
}
