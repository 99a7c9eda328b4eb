/** GET /statistics: the supervision figures of a region subtree for a period (docs/domain.md §11). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { canSeeRegion } from '../../domain/authorization';
import { endOfLocalDayString, localDateOf, startOfLocalDay } from '../../domain/deadlines';
import { DATE_FORMAT, msg } from '../../domain/schemas/messages';
import { PATCH_SOURCES } from '../../domain/types';
import { actorOf } from '../auth';
import { ApiError } from '../errors';
import { measuredVsDeclared } from '../services/measured-statistics';
import { regionStatistics } from '../services/statistics';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, DATE_FORMAT);
const parse = (d: string) => {
  const [year, month, day] = d.split('-').map(Number);
  return startOfLocalDay({ year, month, day });
};

export const statisticsQuerySchema = z
  .object({
    regionCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    /** Issued from this day (inclusive) to that day (exclusive), Asia/Shanghai; default: this year. */
    from: date.optional(),
    to: date.optional(),
    source: z.enum(PATCH_SOURCES).optional(),
    /** Rectification as of the end of this day; default: the policy's cut-off for a year or half-year, else now. */
    rectifiedBy: date.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, {
    message: msg('结束日期须晚于开始日期', 'the end date must be after the start date', 'to_before_from'),
    path: ['to'],
  });

export function resolvePeriod(q: { from?: string; to?: string }): { from: Date; to: Date } {
  const year = localDateOf(Date.now()).year;
  return { from: parse(q.from ?? `${year}-01-01`), to: parse(q.to ?? `${year + 1}-01-01`) };
}

export function registerStatisticsRoutes(app: FastifyInstance, deps: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/statistics', { schema: { querystring: statisticsQuerySchema, tags: ['statistics'] } }, async (req) => {
    const actor = actorOf(req);
    const regionCode = req.query.regionCode ?? actor.regionCode;
    const access = canSeeRegion(actor, regionCode);
    if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
    return regionStatistics(deps.db, {
      regionCode,
      ...resolvePeriod(req.query),
      source: req.query.source,
      rectifiedBy: req.query.rectifiedBy ? endOfLocalDayString(req.query.rectifiedBy) : undefined,
      // Military patches only for holders of the classified-handling permission (000 二(二); 002 三(三); 004 三(二)).
      includeMilitary: actor.classified,
    });
  });

  /** Measured vs declared (docs/domain.md §13): the land layers' areas beside the determined ones, per child region. */
  r.get('/statistics/measured', { schema: { querystring: statisticsQuerySchema, tags: ['statistics'] } }, async (req) => {
    const actor = actorOf(req);
    const regionCode = req.query.regionCode ?? actor.regionCode;
    const access = canSeeRegion(actor, regionCode);
    if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
    const period = resolvePeriod(req.query);
    const figures = await measuredVsDeclared(deps.db, { regionCode, ...period, source: req.query.source });
    return { regionCode, from: period.from.toISOString(), to: period.to.toISOString(), ...figures };
  });
}
