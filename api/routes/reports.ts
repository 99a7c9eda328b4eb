/** GET /reports/:kind — the half-year or annual results of a region as XLSX or CSV (docs/domain.md §12). */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { canSeeRegion } from '../../domain/authorization';
import { localDateOf } from '../../domain/deadlines';
import { PATCH_SOURCES } from '../../domain/types';
import { actorOf } from '../auth';
import { ApiError } from '../errors';
import { buildReport, reportCsv, reportFileName, reportXlsx, SHEETS, type SheetName } from '../services/reports';

export function registerReportRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/reports/:kind',
    {
      schema: {
        params: z.object({ kind: z.enum(['half-year', 'annual']) }),
        querystring: z.object({
          regionCode: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
          year: z.coerce.number().int().min(2018).max(2100).optional(),
          format: z.enum(['xlsx', 'csv']).default('xlsx'),
          sheet: z.enum(Object.keys(SHEETS) as [SheetName, ...SheetName[]]).default('summary'),
          /** 部卫片 or 省卫片 only (reported through different systems, 004 二(二)); both when absent. */
          source: z.enum(PATCH_SOURCES).optional(),
        }),
        tags: ['reports'],
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const regionCode = req.query.regionCode ?? actor.regionCode;
      const access = canSeeRegion(actor, regionCode);
      if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
      const year = req.query.year ?? localDateOf(Date.now()).year;
      const report = await buildReport(deps.db, { regionCode, year, kind: req.params.kind, source: req.query.source });
      const name = reportFileName(report, req.query.format, req.query.format === 'csv' ? req.query.sheet : undefined);
      reply.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
      if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(reportCsv(report, req.query.sheet));
      // Streamed as it is written; an error on the way ends the response (its status has gone out already).
      const out = new PassThrough();
      reportXlsx(report, out).catch((err) => {
        req.log.error({ err }, 'report XLSX failed while streaming');
        out.destroy(err);
      });
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(out);
    },
  );
}
