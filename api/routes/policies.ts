/**
 * Region policies: read (effective, with the layer each part comes from), history of versions, preview of
 * a change, and saving a change — which starts the fan-out to the running workflows of the subtree.
 */
import type { Client } from '@temporalio/client';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { loadEffectivePolicy, savePolicyVersion } from '../../db/policy-store';
import { patches, regionPolicies, regions, tasks, users } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { migratePolicyOverrides, type PolicyOverrides } from '../../domain/policy';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { previewSchema, savePolicySchema } from '../../domain/schemas/policy';
import { broadcastProgressQuery, type BroadcastProgress } from '../../workflows/policy-broadcast';
import { withinRegion } from '../visibility';
import { actorOf, requireRole } from '../auth';
import { ApiError } from '../errors';
import { broadcastWorkflowIdOf, startPolicyBroadcast } from '../services/policy-broadcasts';
import { previewPolicy } from '../services/policy-preview';
import { maySeeSamplingSeed, withoutSeed } from '../services/sampling-seed';
import { paging, sendList } from '../simple-rest';
import { REGION_CODE_FORMAT } from '../../domain/schemas/messages';

const regionParams = z.object({ code: z.string().regex(/^\d{6}$/, REGION_CODE_FORMAT) });

export function registerPolicyRoutes(app: FastifyInstance, deps: { db: Db; temporal: Client; taskQueue: string }) {
  const { db, temporal } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function region(code: string) {
    const [row] = await db.select().from(regions).where(eq(regions.code, code));
    if (!row) throw new ApiError('NotFound', `行政区 ${code} 不存在`, `region ${code} does not exist`);
    return row;
  }

  /** Policies are visible to everyone of the region and below (they set their deadlines); editable by its administrators. */
  function mayRead(actor: ReturnType<typeof actorOf>, code: string) {
    const down = canSeeRegion(actor, code);
    const up = canSeeRegion({ regionCode: code }, actor.regionCode);
    if (!down.ok && !up.ok) throw new ApiError('Forbidden', down.reason, down.reasonEn);
  }

  /**
   * The fan-out signals the workflows of military patches too (their deadlines move like the others'). For a
   * reader without the classified-handling permission its counts leave them out (000 二(二); 002 三(三);
   * 004 三(二)): the military workflows of the region with an open task, those up to the cursor while it runs;
   * the cursor (a patch code) is not shown.
   */
  async function withoutMilitary(regionCode: string, progress: BroadcastProgress) {
    const [m] = await db
      .select({
        all: sql<number>`count(distinct ${tasks.workflowId})::int`,
        upToCursor: progress.cursor
          ? sql<number>`count(distinct ${tasks.workflowId}) filter (where ${tasks.workflowId} <= ${progress.cursor})::int`
          : sql<number>`0`,
      })
      .from(tasks)
      .innerJoin(patches, eq(patches.code, tasks.patchCode))
      .where(and(eq(tasks.status, 'open'), withinRegion(patches.countyCode, regionCode), eq(patches.military, true)));
    const total = Math.max(0, progress.total - m.all);
    const signalled = Math.min(total, Math.max(0, progress.signalled - (progress.done ? m.all : Number(m.upToCursor))));
    const { cursor: _hidden, ...rest } = progress;
    return { ...rest, total, signalled };
  }

  r.get('/regions/:code/policy', { schema: { params: regionParams, tags: ['policies'] } }, async (req) => {
    const actor = actorOf(req);
    mayRead(actor, req.params.code);
    await region(req.params.code);
    const effective = await loadEffectivePolicy(db, req.params.code);
    const names = new Map((await db.select({ code: regions.code, name: regions.name }).from(regions)).map((x) => [x.code, x.name]));
    const own = effective.layers.find((l) => l.regionCode === req.params.code);
    // For each top-level part: the nearest region whose overrides set it (or "base").
    const sources: Record<string, string> = {};
    for (const key of Object.keys(effective.policy)) {
      const layer = [...effective.layers].reverse().find((l) => (l.overrides as Record<string, unknown>)[key] !== undefined);
      sources[key] = layer?.regionCode ?? 'base';
    }
    // The sampling seed would let officers predict the draw: administrators only (002 三(一)).
    const hide = maySeeSamplingSeed(actor) ? <T>(v: T) => v : withoutSeed;
    return {
      id: req.params.code,
      regionCode: req.params.code,
      version: effective.version,
      effective: hide(effective.policy),
      own: own ? hide(own.overrides) : null,
      ownVersion: own?.version ?? 0,
      sources,
      layers: effective.layers.map((l) => ({ ...l, overrides: hide(l.overrides), regionName: names.get(l.regionCode) })),
    };
  });

  r.get('/regions/:code/policy/versions', { schema: { params: regionParams, querystring: listQuerySchema, tags: ['policies'] } }, async (req, reply) => {
    const actor = actorOf(req);
    mayRead(actor, req.params.code);
    const { offset, limit, start } = paging(req.query);
    const cond = eq(regionPolicies.regionCode, req.params.code);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select({
          id: regionPolicies.id,
          version: regionPolicies.version,
          overrides: regionPolicies.overrides,
          note: regionPolicies.note,
          createdAt: regionPolicies.createdAt,
          createdByName: users.displayName,
          broadcastWorkflowId: regionPolicies.broadcastWorkflowId,
          broadcastSignalled: regionPolicies.broadcastSignalled,
          broadcastDoneAt: regionPolicies.broadcastDoneAt,
        })
        .from(regionPolicies)
        .leftJoin(users, eq(users.id, regionPolicies.createdBy))
        .where(cond)
        .orderBy(desc(regionPolicies.version))
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(regionPolicies).where(cond),
    ]);
    // How many workflows a past fan-out signalled includes military ones: holders of the permission only (000 二(二)).
    const current = rows.map((r) => ({ ...r, overrides: migratePolicyOverrides(r.overrides) }));
    const counted = actor.classified ? current : current.map((r) => ({ ...r, broadcastSignalled: null }));
    return sendList(
      reply,
      'policy-versions',
      maySeeSamplingSeed(actor) ? counted : counted.map((r) => ({ ...r, overrides: withoutSeed(r.overrides) })),
      start,
      total,
    );
  });

  r.post('/regions/:code/policy/preview', { schema: { params: regionParams, body: previewSchema, tags: ['policies'] } }, async (req) => {
    const actor = requireRole(req, 'administrator');
    const access = canSeeRegion(actor, req.params.code);
    if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
    await region(req.params.code);
    return previewPolicy(db, req.params.code, req.body.overrides as PolicyOverrides, req.body.samples, { includeMilitary: actor.classified });
  });

  r.put('/regions/:code/policy', { schema: { params: regionParams, body: savePolicySchema, tags: ['policies'] } }, async (req) => {
    const actor = requireRole(req, 'administrator');
    const access = canSeeRegion(actor, req.params.code);
    if (!access.ok) throw new ApiError('Forbidden', `不能修改该地区的规则：${access.reason}`, `cannot change this region's policy: ${access.reasonEn}`);
    await region(req.params.code);
    const preview = await previewPolicy(db, req.params.code, req.body.overrides as PolicyOverrides, [], { includeMilitary: actor.classified });
    const row = await savePolicyVersion(db, {
      regionCode: req.params.code,
      overrides: req.body.overrides as PolicyOverrides,
      note: req.body.note,
      createdBy: actor.userId,
      actor,
    });
    // The version is saved: should starting its fan-out fail, the API's sweep starts it (same workflow id).
    let broadcastStarted = true;
    const broadcastWorkflowId = await startPolicyBroadcast(deps, row).catch((err: unknown) => {
      req.log.warn({ err }, 'policy fan-out not started; the sweep will start it');
      broadcastStarted = false;
      return broadcastWorkflowIdOf(row.regionCode, row.id);
    });
    return { id: row.id, regionCode: row.regionCode, version: row.version, broadcastWorkflowId, broadcastStarted, affected: preview.affected };
  });

  r.get('/policy-broadcasts/:id', { schema: { params: z.object({ id: z.string().regex(/^policy-\d{6}-\d+$/) }), tags: ['policies'] } }, async (req) => {
    const actor = actorOf(req);
    const regionCode = req.params.id.split('-')[1];
    mayRead(actor, regionCode);
    const handle = temporal.workflow.getHandle(req.params.id);
    const description = await handle.describe().catch(() => undefined);
    if (!description) throw new ApiError('NotFound', '没有该下发任务', 'no such broadcast');
    const progress = await handle
      .query(broadcastProgressQuery)
      .catch(async () => (description.status.name === 'COMPLETED' ? await handle.result() : undefined));
    return {
      id: req.params.id,
      status: description.status.name,
      progress: actor.classified || !progress ? progress : await withoutMilitary(regionCode, progress),
    };
  });
}
