/**
 * GET /exports/patches — the export for upload (成果上报): a batch's or a region's patches for a period with
 * their results, as a GeoPackage (format=gpkg) or a zipped shapefile (format=shp), in the provincial
 * attribute schema (domain/export-schema.ts), streamed from a temporary file.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { batches } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { canSeeRegion } from '../../domain/authorization';
import { startOfLocalDay } from '../../domain/deadlines';
import { DATE_FORMAT, msg } from '../../domain/schemas/messages';
import { actorOf } from '../auth';
import { ApiError } from '../errors';
import { EXPORT_FORMATS, exportPatches } from '../services/patch-export';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, DATE_FORMAT);
const parse = (d: string) => {
  const [year, month, day] = d.split('-').map(Number);
  return startOfLocalDay({ year, month, day });
};

export const exportQuerySchema = z
  .object({
    format: z.enum(EXPORT_FORMATS).describe('gpkg: GeoPackage; shp: zipped shapefile (.shp .shx .dbf .prj .cpg)'),
    /** The region whose patches (its subtree) go out; default: the caller's. */
    regionCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    batchCode: z.string().min(1).max(60).optional(),
    /** Issued from this day (inclusive) to that day (exclusive), Asia/Shanghai. */
    from: date.optional(),
    to: date.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    message: msg('结束日期须晚于开始日期', 'the end date must be after the start date', 'to_before_from'),
    path: ['to'],
  });

export function registerExportRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/exports/patches', { schema: { querystring: exportQuerySchema, tags: ['exports'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const regionCode = req.query.regionCode ?? actor.regionCode;
    const access = canSeeRegion(actor, regionCode);
    if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
    if (req.query.batchCode) {
      const [batch] = await deps.db.select({ code: batches.code }).from(batches).where(eq(batches.code, req.query.batchCode));
      if (!batch) throw new ApiError('NotFound', `批次 ${req.query.batchCode} 不存在`, `batch ${req.query.batchCode} does not exist`);
    }
    const { from, to, batchCode } = req.query;
    const file = await exportPatches(
      deps.db,
      actor,
      { regionCode, batchCode, from: from ? parse(from) : undefined, to: to ? parse(to) : undefined, days: { from, to } },
      req.query.format,
    );
    reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
    reply.header('Content-Length', file.size);
    reply.header('X-Patch-Count', file.count);
    if (file.withheldMilitary !== undefined) reply.header('X-Military-Withheld', file.withheldMilitary);
    return reply.type(file.contentType).send(file.stream);
  });
}
