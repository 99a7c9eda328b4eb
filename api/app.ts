/**
 * The HTTP API (fastify): zod at the edge, bearer sessions, react-admin simple-rest lists, task
 * completion as workflow Updates. Everything lives under /api; the built admin UI is served at /.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Database } from '../db/client';
import { loadConfig, PROJECT_ROOT } from '../infra/config';
import { registerAuth } from './auth';
import { registerInputGuard } from './input-guard';
import { finishDocument, recordRoutes } from './openapi';
import { ApiError, registerErrorHandler } from './errors';
import { registerAuditRoutes } from './routes/audit';
import { registerCaseRoutes } from './routes/cases';
import { registerConfigRoutes } from './routes/config';
import { registerEvidenceRoutes } from './routes/evidence';
import { registerExportRoutes } from './routes/exports';
import { registerEvidenceExportRoutes } from './routes/evidence-export';
import { registerBatchRoutes } from './routes/batches';
import { registerHealthRoutes } from './routes/health';
import { ImageryOrigins, registerImageryRoutes } from './routes/imagery';
import { registerImportRoutes } from './routes/imports';
import { registerNotificationRoutes } from './routes/notifications';
import { registerLayerRoutes } from './routes/layers';
import { registerMergeRoutes } from './routes/merge';
import { registerPatchRoutes } from './routes/patches';
import { registerPolicyRoutes } from './routes/policies';
import { registerRegionRoutes } from './routes/regions';
import { registerReportRoutes } from './routes/reports';
import { registerStatisticsRoutes } from './routes/statistics';
import { registerSupervisionRoutes } from './routes/supervision';
import { registerTaskAssignmentRoutes } from './routes/task-assignment';
import { registerTaskRoutes } from './routes/tasks';
import { registerUserRoutes } from './routes/users';

export interface AppDeps {
  database: Database;
  temporal: Client;
  taskQueue: string;
  namespace: string;
  sessionTtlHours?: number;
  /** Serve the built admin UI from this folder when it exists. */
  uiDir?: string;
  logger?: boolean | object;
  /** Where evidence files are stored (default: the configuration's uploadsDir). */
  uploadsDir?: string;
  /** Where imagery is stored and referenced scenes must lie (default: `imagery` in the uploads folder). */
  imageryDir?: string;
  /** Map tiles for the UI (default: MAP_TILE_URL / MAP_TILE_ATTRIBUTION). */
  mapTileUrl?: string;
  mapTileAttribution?: string;
  /** Browser origins allowed by CORS (default: CORS_ORIGINS; empty: same origin only). */
  corsOrigins?: string[];
  /** Login attempts per IP per minute and the per-username lockout (default: LOGIN_* settings). */
  loginRateLimit?: number;
  loginLockout?: { failures: number; minutes: number };
}

export const ADMIN_UI_DIST = path.join(PROJECT_ROOT, 'admin-ui', 'dist');

/** The origin of a tile URL template, for the CSP's img-src (undefined when unset or not a URL). */
const originOf = (template?: string) => {
  try {
    // Leaflet's {s} (a, b, c…) becomes the CSP's host wildcard.
    return template
      ? new URL(template.replace(/\{s\}/g, 'subdomain-wildcard').replace(/\{[^}]*\}/g, '0')).origin.replace('subdomain-wildcard', '*')
      : undefined;
  } catch {
    return undefined;
  }
};

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const config = loadConfig();
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: 5 * 1024 * 1024 });
  recordRoutes(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  // Security headers. The CSP lets through what the admin UI (Vite build, MUI's inline styles, Leaflet,
  // evidence shown as blob: URLs, map tiles from MAP_TILE_URL) and the swagger UI at /api/docs load.
  const tileOrigin = originOf(deps.mapTileUrl ?? config.mapTileUrl);
  // The regions' imagery services (administrators set them) are let through as they are configured.
  const imageryOrigins = new ImageryOrigins(deps.database.db);
  await imageryOrigins.refresh().catch(() => undefined);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(tileOrigin ? [tileOrigin] : []), () => imageryOrigins.list().join(' ')],
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
  });
  // Login attempts per client IP (the route sets its limit); nothing else is limited here.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new ApiError('TooManyRequests', `请求过于频繁，请${seconds}秒后再试`, `too many requests; try again in ${seconds} s`);
    },
  });

  // CORS: only the configured origins (none by default: the UI is served from the API's own origin).
  const corsOrigins = deps.corsOrigins ?? config.corsOrigins;
  await app.register(cors, {
    origin: corsOrigins.length ? corsOrigins : false,
    exposedHeaders: ['Content-Range', 'Idempotent-Replayed', 'Content-Disposition'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'Accept-Language', 'Range'],
  });
  await app.register(swagger, {
    openapi: {
      info: { title: '卫片执法 API', description: 'Satellite-patch enforcement (卫片执法)', version: '0.1.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    // The schemas the routes' ones refer to (shared zod schemas become components), then each task type's
    // completion body, the error shape and the list filters (api/openapi.ts).
    transformObject: (doc) => finishDocument(jsonSchemaTransformObject(doc) as Record<string, unknown>) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api) => {
      // JSON answers of 1 KB or more go out compressed (a page of patches with their polygons shrinks ~5–10×);
      // files (reports, exports, imagery with its ranges, evidence) are sent as they are.
      await api.register(compress, {
        encodings: ['br', 'gzip'],
        threshold: 1024,
        customTypes: (type: string) => /^application\/(problem\+)?json\b/.test(type),
      });
      registerInputGuard(api);
      registerAuth(api, {
        db: deps.database.db,
        sessionTtlHours: deps.sessionTtlHours ?? 12,
        loginRateLimit: deps.loginRateLimit ?? config.loginRateLimit,
        lockout: deps.loginLockout ?? { failures: config.loginLockoutFailures, minutes: config.loginLockoutMinutes },
      });
      registerHealthRoutes(api, {
        database: deps.database,
        temporal: deps.temporal,
        taskQueue: deps.taskQueue,
        namespace: deps.namespace,
        temporalServices: config.temporalServices,
      });
      registerTaskRoutes(api, { db: deps.database.db, temporal: deps.temporal });
      registerPatchRoutes(api, { db: deps.database.db, temporal: deps.temporal, taskQueue: deps.taskQueue });
      registerMergeRoutes(api, { db: deps.database.db, temporal: deps.temporal });
      registerLayerRoutes(api, { db: deps.database.db });
      registerRegionRoutes(api, { db: deps.database.db });
      registerPolicyRoutes(api, { db: deps.database.db, temporal: deps.temporal, taskQueue: deps.taskQueue });
      registerAuditRoutes(api, { db: deps.database.db });
      registerCaseRoutes(api, { db: deps.database.db });
      registerStatisticsRoutes(api, { db: deps.database.db });
      registerReportRoutes(api, { db: deps.database.db });
      registerExportRoutes(api, { db: deps.database.db });
      registerNotificationRoutes(api, { db: deps.database.db });
      registerTaskAssignmentRoutes(api, { db: deps.database.db, temporal: deps.temporal });
      registerUserRoutes(api, { db: deps.database.db });
      registerSupervisionRoutes(api, { db: deps.database.db, temporal: deps.temporal });
      registerEvidenceRoutes(api, { db: deps.database.db, uploadsDir: deps.uploadsDir ?? config.uploadsDir });
      registerEvidenceExportRoutes(api, { db: deps.database.db, uploadsDir: deps.uploadsDir ?? config.uploadsDir });
      registerConfigRoutes(api, { mapTileUrl: deps.mapTileUrl ?? config.mapTileUrl, mapTileAttribution: deps.mapTileAttribution ?? config.mapTileAttribution });
      registerImportRoutes(api, { database: deps.database, temporal: deps.temporal, taskQueue: deps.taskQueue });
      registerBatchRoutes(api, { db: deps.database.db });
      registerImageryRoutes(api, {
        db: deps.database.db,
        imageryDir: deps.imageryDir ?? path.join(deps.uploadsDir ?? config.uploadsDir, 'imagery'),
        origins: imageryOrigins,
      });
    },
    { prefix: '/api' },
  );

  const uiDir = deps.uiDir ?? ADMIN_UI_DIST;
  if (existsSync(path.join(uiDir, 'index.html'))) {
    // The build's files with their gzip and brotli twins (scripts/build-ui.ts), sent as the browser accepts.
    // Assets are named by their content's hash, so they are cached for good; index.html (which names
    // them) is revalidated every time, so a new build is seen at once.
    const assetsDir = path.join(uiDir, 'assets') + path.sep;
    await app.register(fastifyStatic, {
      root: uiDir,
      prefix: '/',
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) => {
        reply.header('Cache-Control', file.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/')) return reply.status(404).send({ code: 'NotFound', message: '接口不存在' });
      return reply.sendFile('index.html');
    });
  }
  return app;
}
