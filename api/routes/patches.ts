/** Patches: list and show (react-admin simple-rest), and issuance (POST /patches). */
import type { Client } from '@temporalio/client';
import { and, asc, desc, eq, inArray, like, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readMeasurement } from '../../activities/measurement';
import type { Db } from '../../db/client';
import { patches, regions } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { suggestedAreas, suggestedLegality } from '../../domain/layers';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { issuePatchSchema } from '../../domain/schemas/patches';
import { splitRequestSchema } from '../../domain/schemas/split';
import { proposeSplit } from '../../services/split-patch';
import { actorOf, requireRole } from '../auth';
import { ApiError, fieldIssue } from '../errors';
import { fromUpdateError } from '../temporal-errors';
import { requestSplitUpdate, type SplitProposal } from '../../workflows/messages';
import { issuePatch } from '../services/issue-patch';
import { drawsWithoutSeed, maySeeSamplingSeed } from '../services/sampling-seed';
import { ordering, paging, sendList } from '../simple-rest';
import { classifiedFilter, withinRegion } from '../visibility';

const listColumns = {
  id: patches.code,
  code: patches.code,
  batchCode: patches.batchCode,
  countyCode: patches.countyCode,
  cityCode: patches.cityCode,
  provinceCode: patches.provinceCode,
  regionName: regions.name,
  category: patches.category,
  source: patches.source,
  batchKind: patches.batchKind,
  areaMu: patches.areaMu,
  farmlandMu: patches.farmlandMu,
  military: patches.military,
  issuedAt: patches.issuedAt,
  imagedAt: patches.imagedAt,
  stage: patches.stage,
  legality: patches.legality,
  directDetermination: patches.directDetermination,
  overdue: patches.overdue,
  dueAt: patches.dueAt,
  centroid: patches.centroid,
  parentCode: patches.parentCode,
  updatedAt: patches.updatedAt,
};

const sortable = {
  id: patches.code,
  code: patches.code,
  issuedAt: patches.issuedAt,
  dueAt: patches.dueAt,
  areaMu: patches.areaMu,
  stage: patches.stage,
  countyCode: patches.countyCode,
  updatedAt: patches.updatedAt,
};

const asList = (v: unknown): string[] | undefined => (v === undefined || v === null || v === '' ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);

export function registerPatchRoutes(app: FastifyInstance, deps: { db: Db; temporal: Client; taskQueue: string }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/patches', { schema: { querystring: listQuerySchema, tags: ['patches'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const where: Array<SQL | undefined> = [withinRegion(patches.countyCode, actor.regionCode), classifiedFilter(actor, patches.military)];
    const ids = asList(f.id);
    if (ids) where.push(inArray(patches.code, ids));
    for (const [key, column] of [
      ['stage', patches.stage],
      ['legality', patches.legality],
      ['category', patches.category],
      ['batchCode', patches.batchCode],
      ['source', patches.source],
      ['parentCode', patches.parentCode],
    ] as const) {
      const values = asList(f[key]);
      if (values) where.push(inArray(column, values));
    }
    if (typeof f.regionCode === 'string' && f.regionCode) {
      const access = canSeeRegion(actor, f.regionCode);
      if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
      where.push(withinRegion(patches.countyCode, f.regionCode));
    }
    if (f.overdue === true || f.overdue === 'true') where.push(eq(patches.overdue, true));
    if (f.directDetermination === true) where.push(eq(patches.directDetermination, true));
    if (typeof f.q === 'string' && f.q) where.push(like(patches.code, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`));
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query);
    const order = ordering(req.query, sortable, [desc(patches.issuedAt), asc(patches.code)]);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select(listColumns)
        .from(patches)
        .leftJoin(regions, eq(regions.code, patches.countyCode))
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(patches).where(cond),
    ]);
    return sendList(reply, 'patches', rows, start, total);
  });

  r.get('/patches/:code', { schema: { params: z.object({ code: z.string().min(1).max(60) }), tags: ['patches'] } }, async (req) => {
    const actor = actorOf(req);
    const [row] = await db
      .select({
        ...listColumns,
        geometry: patches.geometry,
        determination: patches.determination,
        reviewDraws: patches.reviewDraws,
        workflowId: patches.workflowId,
        // Lineage (拆分, docs/domain.md §13): the children a split made of this patch.
        children: sql<Array<{ code: string; stage: string; legality: string | null; areaMu: number; geometry: unknown }>>`(
          select coalesce(jsonb_agg(jsonb_build_object('code', c.code, 'stage', c.stage, 'legality', c.legality, 'areaMu', c.area_mu, 'geometry', c.geometry) order by c.code), '[]'::jsonb)
          from patches c where c.parent_code = ${patches.code})`,
        // A split waiting for the review above, with its children's polygons (the reviewer sees them on the map).
        pendingSplit: sql<{ id: number; children: Array<{ code: string; areaMu: number; geometry: unknown }> } | null>`(
          select jsonb_build_object('id', s.id, 'children', s.children, 'parentAreaMu', s.parent_area_mu, 'reason', s.reason)
          from patch_splits s where s.parent_code = ${patches.code} and s.status = 'proposed' order by s.id desc limit 1)`,
        // Lineage (合并, docs/domain.md §13): the patch this one closed into, the sources it was made of, a merge awaiting review.
        mergedInto: patches.mergedInto,
        mergedFrom: patches.mergedFrom,
        pendingMerge: sql<unknown>`(
          select jsonb_build_object('id', m.id, 'mergedCode', m.merged_code, 'areaMu', m.area_mu, 'legality', m.legality, 'reason', m.reason,
            'geometry', m.geometry, 'sources', (select coalesce(jsonb_agg(jsonb_build_object('code', s.code, 'areaMu', s.area_mu, 'geometry', s.geometry) order by s.code), '[]'::jsonb)
              from patches s where m.source_codes ? s.code))
          from patch_merges m where m.lead_code = ${patches.code} and m.status = 'proposed' order by m.id desc limit 1)`,
        // The case of the patch (its latest, when a re-check opened another), from the moment the case exists.
        caseNo: sql<
          string | null
        >`coalesce(${patches.caseNo}, (select cp.case_no from case_patches cp where cp.patch_code = ${patches.code} order by cp.linked_at desc limit 1))`,
      })
      .from(patches)
      .leftJoin(regions, eq(regions.code, patches.countyCode))
      .where(eq(patches.code, req.params.code));
    // Military patches: no geometry or details for anyone without the classified-handling permission (000, 002, 004).
    if (!row || (row.military && !actor.classified))
      throw new ApiError('NotFound', `图斑 ${req.params.code} 不存在`, `patch ${req.params.code} does not exist`);
    const access = canSeeRegion(actor, row.countyCode);
    if (!access.ok) throw new ApiError('Forbidden', `该图斑${access.reason}`, `the patch's ${access.reasonEn}`);
    // The land layers' measurement and what it suggests, for the officer to confirm (docs/domain.md §13).
    const m = await readMeasurement(db, row.code);
    const measurement = m ? { ...m, suggestedAreas: suggestedAreas(m), suggestedLegality: suggestedLegality(m) ?? null } : null;
    // The draws are shown to all; the seed that fixes them only to administrators (002 三(一)).
    return maySeeSamplingSeed(actor) ? { ...row, measurement } : { ...row, measurement, reviewDraws: drawsWithoutSeed(row.reviewDraws) };
  });

  /**
   * 拆分 (docs/domain.md §13): the county proposes child polygons (drawn on the map or uploaded); they must lie
   * within the patch, not overlap, and add up to its area within a tolerance; the reviewer above approves.
   */
  r.post(
    '/patches/:code/split',
    { schema: { params: z.object({ code: z.string().min(1).max(60) }), body: splitRequestSchema, tags: ['patches'] } },
    async (req, reply) => {
      const actor = actorOf(req);
      const [row] = await db.select().from(patches).where(eq(patches.code, req.params.code));
      if (!row || (row.military && !actor.classified))
        throw new ApiError('NotFound', `图斑 ${req.params.code} 不存在`, `patch ${req.params.code} does not exist`);
      const access = canSeeRegion(actor, row.countyCode);
      if (!access.ok) throw new ApiError('Forbidden', `该图斑${access.reason}`, `the patch's ${access.reasonEn}`);
      const propose = (proposal: SplitProposal) => deps.temporal.workflow.getHandle(row.code).executeUpdate(requestSplitUpdate, { args: [proposal] });
      const result = await proposeSplit({ db, propose }, row, req.body, actor).catch((err: unknown) => {
        throw fromUpdateError(err) ?? err;
      });
      if (!result.ok) {
        if ('noGeometry' in result) throw new ApiError('Conflict', '该图斑没有图形，不能拆分', 'the patch has no geometry to split');
        const issues = result.issues.map((i) => {
          const p = i.params as Record<string, unknown>;
          switch (i.rule) {
            case 'split_child_outside':
              return fieldIssue(
                `children.${Number(p.child) - 1}.geometry`,
                i.rule,
                `子图斑${p.child}超出原图斑范围`,
                `child ${p.child} lies outside the patch`,
                p,
              );
            case 'split_children_overlap':
              return fieldIssue(`children.${Number(p.b) - 1}.geometry`, i.rule, `子图斑${p.a}与子图斑${p.b}重叠`, `children ${p.a} and ${p.b} overlap`, p);
            default:
              return fieldIssue(
                'children',
                i.rule,
                `子图斑面积合计${p.childrenMu}亩，与原图斑${p.parentMu}亩不符（允许误差${Number(p.tolerance) * 100}%）`,
                `the children add up to ${p.childrenMu} mu, the patch is ${p.parentMu} mu (tolerance ${Number(p.tolerance) * 100}%)`,
                p,
              );
          }
        });
        throw new ApiError('InvalidPayload', issues.map((i) => i.message).join('；'), issues.map((i) => i.messageEn).join('; '), issues);
      }
      return reply.status(201).send({ splitId: result.splitId, ...result.snapshot });
    },
  );

  r.post('/patches', { schema: { body: issuePatchSchema, tags: ['patches'] } }, async (req, reply) => {
    const actor = requireRole(req, 'administrator');
    const result = await issuePatch(deps, req.body, actor);
    return reply.status(result.created ? 201 : 200).send({ ...result, id: result.code });
  });
}
