/**
 * Violation cases (the problem ledger, 问题台账) and the quota ledger, read-only: cases change only through
 * their tasks. Open cases of earlier years are marked as carried over (跨年度).
 */
import { and, asc, desc, eq, getTableColumns, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { casePatches, cases, patches, quotaBalances, quotaLedger, regions, tasks } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { localDateOf } from '../../domain/deadlines';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { actorOf } from '../auth';
import { ApiError } from '../errors';
import { ordering, paging, sendList } from '../simple-rest';
import { withinRegion } from '../visibility';

const ledgerCounty = alias(regions, 'ledger_county');
const ledgerHolder = alias(regions, 'ledger_holder');

const asList = (v: unknown): string[] | undefined => (v === undefined || v === null || v === '' ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);

const currentYear = () => localDateOf(Date.now()).year;
const OPEN = sql`${cases.struckOffAt} is null and ${cases.status} <> 'merged'`;

export function registerCaseRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  const columns = {
    id: cases.caseNo,
    caseNo: cases.caseNo,
    countyCode: cases.countyCode,
    regionName: regions.name,
    status: cases.status,
    origin: cases.origin,
    previousCaseNo: cases.previousCaseNo,
    year: cases.year,
    carriedOver: sql<boolean>`(${OPEN} and ${cases.year} < ${currentYear()})`,
    primaryPatchCode: cases.primaryPatchCode,
    party: cases.party,
    path: cases.path,
    illegalMu: cases.illegalMu,
    illegalFarmlandMu: cases.illegalFarmlandMu,
    eliminated: cases.eliminated,
    certificateNo: cases.certificateNo,
    mergedInto: cases.mergedInto,
    overdue: cases.overdue,
    dueAt: cases.dueAt,
    openedAt: cases.openedAt,
    registeredAt: cases.registeredAt,
    eliminatedAt: cases.eliminatedAt,
    struckOffAt: cases.struckOffAt,
  };

  r.get('/cases', { schema: { querystring: listQuerySchema, tags: ['cases'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const where: Array<SQL | undefined> = [withinRegion(cases.countyCode, actor.regionCode)];
    const ids = asList(f.id);
    if (ids) where.push(inArray(cases.caseNo, ids));
    const status = asList(f.status);
    if (status) where.push(inArray(cases.status, status));
    if (typeof f.regionCode === 'string' && f.regionCode) {
      const access = canSeeRegion(actor, f.regionCode);
      if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
      where.push(withinRegion(cases.countyCode, f.regionCode));
    }
    if (f.open === true) where.push(OPEN);
    if (f.carriedOver === true) where.push(and(OPEN, sql`${cases.year} < ${currentYear()}`));
    if (typeof f.year === 'number') where.push(eq(cases.year, f.year));
    if (f.overdue === true) where.push(eq(cases.overdue, true));
    if (typeof f.previousCaseNo === 'string' && f.previousCaseNo) where.push(eq(cases.previousCaseNo, f.previousCaseNo));
    if (typeof f.patchCode === 'string')
      where.push(sql`exists (select 1 from ${casePatches} where ${casePatches.caseNo} = ${cases.caseNo} and ${casePatches.patchCode} = ${f.patchCode})`);
    if (typeof f.q === 'string' && f.q) where.push(or(like(cases.caseNo, `%${f.q}%`), sql`${cases.party}->>'name' like ${`%${f.q}%`}`));
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query);
    const order = ordering(req.query, { id: cases.caseNo, caseNo: cases.caseNo, openedAt: cases.openedAt, dueAt: cases.dueAt, status: cases.status }, [
      desc(cases.openedAt),
      asc(cases.caseNo),
    ]);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select(columns)
        .from(cases)
        .leftJoin(regions, eq(regions.code, cases.countyCode))
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(cases).where(cond),
    ]);
    return sendList(reply, 'cases', rows, start, total);
  });

  r.get('/cases/:caseNo', { schema: { params: z.object({ caseNo: z.string().min(4).max(40) }), tags: ['cases'] } }, async (req) => {
    const actor = actorOf(req);
    const [row] = await db
      .select({
        ...columns,
        site: cases.site,
        facts: cases.facts,
        decision: cases.decision,
        rectificationPlan: cases.rectificationPlan,
        rectification: cases.rectification,
      })
      .from(cases)
      .leftJoin(regions, eq(regions.code, cases.countyCode))
      .where(eq(cases.caseNo, req.params.caseNo));
    if (!row) throw new ApiError('NotFound', `案件 ${req.params.caseNo} 不存在`, `case ${req.params.caseNo} does not exist`);
    const access = canSeeRegion(actor, row.countyCode);
    if (!access.ok) throw new ApiError('Forbidden', `该案件${access.reason}`, `the case's ${access.reasonEn}`);
    const [linked, transfers, ledger, caseTasks, later] = await Promise.all([
      db
        .select({ code: patches.code, stage: patches.stage, legality: patches.legality, areaMu: patches.areaMu, determination: patches.determination })
        .from(casePatches)
        .innerJoin(patches, eq(patches.code, casePatches.patchCode))
        .where(eq(casePatches.caseNo, row.caseNo)),
      db
        .select({
          taskId: tasks.id,
          status: tasks.status,
          context: tasks.context,
          result: tasks.result,
          dueAt: tasks.dueAt,
          overdue: tasks.overdue,
          closedAt: tasks.closedAt,
        })
        .from(tasks)
        .where(and(eq(tasks.caseNo, row.caseNo), eq(tasks.type, 'transfer_feedback')))
        .orderBy(asc(tasks.openedAt)),
      db.select().from(quotaLedger).where(eq(quotaLedger.caseNo, row.caseNo)).orderBy(asc(quotaLedger.id)),
      // Every task of the case, whichever level holds it: the city's and the province's acceptances are
      // part of the county's case history (the task list itself stays within the reader's region).
      db
        .select({
          id: tasks.id,
          type: tasks.type,
          regionCode: tasks.regionCode,
          regionName: regions.name,
          role: tasks.role,
          status: tasks.status,
          dueAt: tasks.dueAt,
          overdue: tasks.overdue,
          openedAt: tasks.openedAt,
          closedAt: tasks.closedAt,
          closedByName: tasks.closedByName,
          result: tasks.result,
        })
        .from(tasks)
        .leftJoin(regions, eq(regions.code, tasks.regionCode))
        .where(eq(tasks.caseNo, row.caseNo))
        .orderBy(asc(tasks.openedAt), asc(tasks.id)),
      // The cases re-checks opened after this one (rebuilt after it was struck off): the chain's next links.
      db
        .select({ caseNo: cases.caseNo, status: cases.status, openedAt: cases.openedAt })
        .from(cases)
        .where(eq(cases.previousCaseNo, row.caseNo))
        .orderBy(asc(cases.openedAt)),
    ]);
    return { ...row, patches: linked, transfers, ledger, tasks: caseTasks, laterCases: later };
  });

  /**
   * Balances per account holder: a county's farmland reserve, or a city's construction-land plan quota (Jiangmen's
   * freeze is booked on the city's, 002 五(四) 冻结地市…指标), within the reader's region.
   */
  r.get('/quota/balances', { schema: { querystring: listQuerySchema, tags: ['quota'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const cond = and(
      withinRegion(quotaBalances.regionCode, actor.regionCode),
      typeof f.regionCode === 'string' ? withinRegion(quotaBalances.regionCode, f.regionCode) : undefined,
      typeof f.account === 'string' ? eq(quotaBalances.account, f.account) : undefined,
    );
    const { offset, limit, start } = paging(req.query, 100);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select({
          id: sql<string>`${quotaBalances.regionCode} || ':' || ${quotaBalances.account}`,
          regionCode: quotaBalances.regionCode,
          regionLevel: regions.level,
          regionName: regions.name,
          account: quotaBalances.account,
          frozenMu: quotaBalances.frozenMu,
          unfrozenMu: quotaBalances.unfrozenMu,
          deductedMu: quotaBalances.deductedMu,
          updatedAt: quotaBalances.updatedAt,
        })
        .from(quotaBalances)
        .leftJoin(regions, eq(regions.code, quotaBalances.regionCode))
        .where(cond)
        .orderBy(asc(quotaBalances.regionCode), asc(quotaBalances.account))
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(quotaBalances).where(cond),
    ]);
    return sendList(reply, 'quota-balances', rows, start, total);
  });

  r.get('/quota/ledger', { schema: { querystring: listQuerySchema, tags: ['quota'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const cond = and(
      withinRegion(quotaLedger.countyCode, actor.regionCode),
      typeof f.countyCode === 'string' ? eq(quotaLedger.countyCode, f.countyCode) : undefined,
      // The account holder: a county, or the city whose plan quota Jiangmen's freeze is booked on.
      typeof f.regionCode === 'string' ? eq(quotaLedger.regionCode, f.regionCode) : undefined,
      typeof f.caseNo === 'string' ? eq(quotaLedger.caseNo, f.caseNo) : undefined,
      typeof f.patchCode === 'string' ? eq(quotaLedger.patchCode, f.patchCode) : undefined,
      typeof f.account === 'string' ? eq(quotaLedger.account, f.account) : undefined,
      typeof f.kind === 'string' ? eq(quotaLedger.kind, f.kind) : undefined,
    );
    const { offset, limit, start } = paging(req.query, 50);
    const order = ordering(req.query, { id: quotaLedger.id, at: quotaLedger.at }, [desc(quotaLedger.id)]);
    const [rows, [{ total }]] = await Promise.all([
      // With the names of the case's county and of the account's holder, for the ledger to show (not codes).
      db
        .select({ ...getTableColumns(quotaLedger), countyName: ledgerCounty.name, regionName: ledgerHolder.name })
        .from(quotaLedger)
        .leftJoin(ledgerCounty, eq(ledgerCounty.code, quotaLedger.countyCode))
        .leftJoin(ledgerHolder, eq(ledgerHolder.code, quotaLedger.regionCode))
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(quotaLedger).where(cond),
    ]);
    return sendList(reply, 'quota-ledger', rows, start, total);
  });
}
