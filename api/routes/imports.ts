/**
 * Batch import over HTTP: POST /imports (multipart: the file and the batch's particulars) creates an
 * import job — or answers the existing one for the same batch and file — and runs it in the background;
 * GET /imports/:id is its progress, GET /imports/:id/report the full report; GET /import-presets lists the
 * attribute mappings.
 */
import { rm } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../db/client';
import { importFeatures, imports } from '../../db/schema';
import { MAPPING_PRESETS } from '../../domain/attribute-mapping';
import { canSeeRegion } from '../../domain/authorization';
import { importOptionsSchema } from '../../domain/schemas/imports';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { msg } from '../../domain/schemas/messages';
import type { Actor } from '../../domain/types';
import { BatchConflictError, createImport, findImport } from '../../ingest/jobs';
import { importReport, importView } from '../../ingest/report';
import { openSource, SourceError } from '../../ingest/source';
import { actorOf, requireRole } from '../auth';
import { ApiError, fieldIssue, invalidPayload, wantsEnglish, zodIssues } from '../errors';
import { rejectNul } from '../input-guard';
import { ImportRunner } from '../services/import-runner';
import { keepUpload, receiveUpload } from '../services/import-upload';
import { ordering, paging, sendList } from '../simple-rest';
import { withinRegion } from '../visibility';

const OPTION_FIELDS = ['batchCode', 'batchName', 'source', 'kind', 'imagedOn', 'issuedOn', 'preset', 'areaUnit', 'mapping'] as const;

function optionsFrom(req: FastifyRequest, fields: Record<string, string>) {
  const raw: Record<string, unknown> = {};
  for (const key of OPTION_FIELDS) {
    const value = fields[key]?.trim();
    if (value) raw[key] = value;
  }
  if (typeof raw.mapping === 'string') {
    try {
      raw.mapping = JSON.parse(raw.mapping);
    } catch {
      throw invalidPayload(req, [fieldIssue('mapping', 'invalid_json', '不是合法的 JSON', 'is not valid JSON')]);
    }
  }
  rejectNul(raw);
  const parsed = importOptionsSchema.safeParse(raw);
  if (!parsed.success) throw invalidPayload(req, zodIssues(parsed.error));
  return parsed.data;
}

function canSeeImport(actor: Actor, job: { regionCode: string }) {
  return (actor.role === 'administrator' || actor.role === 'supervisor') && canSeeRegion(actor, job.regionCode).ok;
}

export function registerImportRoutes(app: FastifyInstance, deps: { database: Database; temporal: Client; taskQueue: string }) {
  const { db } = deps.database;
  const runner = new ImportRunner({ db, temporal: deps.temporal, taskQueue: deps.taskQueue, log: (m, err) => app.log.error({ err }, m) });
  app.addHook('onReady', async () => runner.start());
  app.addHook('onClose', async () => runner.stop());
  const r = app.withTypeProvider<ZodTypeProvider>();

  const loadVisible = async (req: FastifyRequest, id: string) => {
    const job = await findImport(db, id);
    if (!job || !canSeeImport(actorOf(req), job)) throw new ApiError('NotFound', `导入任务 ${id} 不存在`, `import ${id} does not exist`);
    return job;
  };

  /**
   * An import as the reader may see it. Without the classified-handling permission, military features are in
   * none of its figures and none of its lists (000 二(二); 002 三(三); 004 三(二)): the counts are those of the
   * other features (as far as the import has read), and the report lists only those.
   */
  async function forReader<
    V extends Awaited<ReturnType<typeof importView>> & { rejectedFeatures?: Array<{ military: boolean }>; warnedFeatures?: Array<{ military: boolean }> },
  >(actor: Actor, view: V): Promise<V> {
    if (actor.classified) return view;
    const [m] = await db
      .select({
        all: sql<number>`count(*)::int`,
        processed: sql<number>`count(*) filter (where ${importFeatures.seq} < ${view.processed})::int`,
        accepted: sql<number>`count(*) filter (where ${importFeatures.status} <> 'rejected')::int`,
        started: sql<number>`count(*) filter (where ${importFeatures.status} = 'started')::int`,
        existing: sql<number>`count(*) filter (where ${importFeatures.status} = 'existing')::int`,
        rejected: sql<number>`count(*) filter (where ${importFeatures.status} = 'rejected')::int`,
        warned: sql<number>`count(*) filter (where ${importFeatures.warnings} is not null)::int`,
      })
      .from(importFeatures)
      .where(and(eq(importFeatures.importId, view.id), eq(importFeatures.military, true)));
    const total = Math.max(0, view.total - m.all);
    const processed = Math.max(0, view.processed - m.processed);
    return {
      ...view,
      total,
      processed,
      percent: total ? Math.floor((100 * processed) / total) : view.percent,
      accepted: view.accepted - m.accepted,
      started: view.started - m.started,
      existing: view.existing - m.existing,
      rejected: view.rejected - m.rejected,
      warned: view.warned - m.warned,
      military: 0,
      ...(view.rejectedFeatures ? { rejectedFeatures: view.rejectedFeatures.filter((f) => !f.military) } : {}),
      ...(view.warnedFeatures ? { warnedFeatures: view.warnedFeatures.filter((f) => !f.military) } : {}),
    };
  }

  app.register(async (scope) => {
    await scope.register(multipart);
    scope.post('/imports', { schema: { tags: ['imports'], consumes: ['multipart/form-data'] } }, async (req, reply) => {
      const actor = requireRole(req, 'administrator');
      if (!req.isMultipart())
        throw invalidPayload(req, [
          fieldIssue(
            'file',
            'multipart_required',
            '请以 multipart/form-data 上传批次文件（字段 file）',
            'upload the batch file as multipart/form-data (field "file")',
          ),
        ]);
      const upload = await receiveUpload(req);
      const english = wantsEnglish(req);
      let tmp = upload.file?.tmpPath;
      try {
        if (!upload.file || upload.file.size === 0)
          throw invalidPayload(req, [
            fieldIssue('file', 'file_required', '请选择要导入的 GeoJSON 或 Shapefile 压缩包', 'choose a GeoJSON file or a zipped shapefile to import'),
          ]);
        const options = optionsFrom(req, upload.fields);
        let source: Awaited<ReturnType<typeof openSource>>;
        try {
          source = await openSource(upload.file.tmpPath);
        } catch (err) {
          if (err instanceof SourceError)
            throw new ApiError('InvalidPayload', err.message, err.messageEn, [fieldIssue('file', 'unreadable_file', err.message, err.messageEn)]);
          throw err;
        }
        const filePath = await keepUpload(upload.file.tmpPath, upload.file.hash, source.format);
        tmp = undefined;
        let result: Awaited<ReturnType<typeof createImport>>;
        try {
          result = await createImport(db, source, { filePath, fileName: upload.file.fileName, fileHash: upload.file.hash, options, actor, origin: 'api' });
        } catch (err) {
          if (err instanceof BatchConflictError)
            throw new ApiError('Conflict', err.message, err.messageEn, [fieldIssue(err.field, 'batch_conflict', err.message, err.messageEn)]);
          throw err;
        }
        if (result.job.status !== 'completed') runner.run(result.job.id);
        return reply
          .status(result.created ? 202 : 200)
          .send({ ...(await forReader(actor, await importView(db, result.job, english))), created: result.created });
      } finally {
        if (tmp) await rm(tmp, { force: true });
      }
    });
  });

  r.get('/imports', { schema: { querystring: listQuerySchema, tags: ['imports'] } }, async (req, reply) => {
    const actor = requireRole(req, 'administrator', 'supervisor');
    const f = req.query.filter ?? {};
    const where: Array<SQL | undefined> = [withinRegion(imports.regionCode, actor.regionCode)];
    if (typeof f.status === 'string') where.push(eq(imports.status, f.status));
    if (typeof f.batchCode === 'string') where.push(eq(imports.batchCode, f.batchCode));
    if (Array.isArray(f.id)) where.push(inArray(imports.id, f.id.map(String)));
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query);
    const order = ordering(req.query, { id: imports.id, createdAt: imports.createdAt, batchCode: imports.batchCode, status: imports.status }, [
      desc(imports.createdAt),
    ]);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select()
        .from(imports)
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(imports).where(cond),
    ]);
    const english = wantsEnglish(req);
    return sendList(reply, 'imports', await Promise.all(rows.map(async (j) => forReader(actor, await importView(db, j, english)))), start, total);
  });

  const idParams = z.object({ id: z.string().regex(/^IMP[0-9A-Z]{4,40}$/, msg('导入任务编号格式不正确', 'malformed import id', 'import_id_format')) });

  r.get('/imports/:id', { schema: { params: idParams, tags: ['imports'] } }, async (req) =>
    forReader(actorOf(req), await importView(db, await loadVisible(req, req.params.id), wantsEnglish(req))),
  );

  r.get('/imports/:id/report', { schema: { params: idParams, tags: ['imports'] } }, async (req) => {
    const job = await loadVisible(req, req.params.id);
    return forReader(actorOf(req), await importReport(db, job, { english: wantsEnglish(req), classified: actorOf(req).classified }));
  });

  r.get('/import-presets', { schema: { tags: ['imports'] } }, async (req, reply) => {
    actorOf(req);
    return sendList(
      reply,
      'import-presets',
      MAPPING_PRESETS.map((p) => ({ ...p, label: wantsEnglish(req) ? p.labelEn : p.label })),
      0,
      MAPPING_PRESETS.length,
    );
  });
}
