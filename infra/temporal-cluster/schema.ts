/**
 * The two Temporal databases (`temporal`, `temporal_visibility`) on the project's PostgreSQL, set up or
 * upgraded on every start, idempotently: a database is created and given schema version 0.0 only when it
 * has none (`create-database`, `setup-schema -v 0.0`), then `update-schema` applies whatever versions of
 * the module's schema/postgresql/v12/{temporal,visibility}/versioned it does not have yet.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import postgres from 'postgres';
import type { TemporalServerBinaries } from './binaries';
import { type PostgresTarget, TEMPORAL_DATABASES } from './config';

function sqlTool(bin: TemporalServerBinaries, pg: PostgresTarget, database: string, args: string[]): Promise<string> {
  const base = ['--plugin', 'postgres12', '--ep', pg.host, '-p', String(pg.port), '-u', pg.user, '--db', database];
  return new Promise((resolve, reject) => {
    // The password goes in the environment, not on a command line that `ps` shows.
    const child = spawn(bin.sql, [...base, ...args], { env: { ...process.env, SQL_PASSWORD: pg.password }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`temporal-sql-tool ${args[0]} on ${database} exited with ${code}:\n${out.slice(-2000)}`)),
    );
  });
}

/** Whether `database` exists, and whether it has a schema version yet. */
async function state(pg: PostgresTarget, database: string): Promise<{ exists: boolean; versioned: boolean }> {
  const admin = postgres({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: 'postgres', max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select 1 as present from pg_database where datname = ${database}`;
    if (!row) return { exists: false, versioned: false };
  } finally {
    await admin.end({ timeout: 1 });
  }
  const db = postgres({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database, max: 1, onnotice: () => {} });
  try {
    const [t] = await db`select to_regclass('schema_version') is not null as versioned`;
    return { exists: true, versioned: Boolean(t?.versioned) };
  } finally {
    await db.end({ timeout: 1 });
  }
}

/** Sets up or upgrades both databases; returns what it did, one line per database. */
export async function ensureTemporalSchemas(bin: TemporalServerBinaries, pg: PostgresTarget): Promise<string[]> {
  const done: string[] = [];
  for (const [kind, database] of [
    ['temporal', TEMPORAL_DATABASES.default],
    ['visibility', TEMPORAL_DATABASES.visibility],
  ] as const) {
    const before = await state(pg, database);
    if (!before.exists) await sqlTool(bin, pg, database, ['create-database']);
    if (!before.versioned) await sqlTool(bin, pg, database, ['setup-schema', '-v', '0.0']);
    const versioned = path.join(bin.moduleDir, 'schema', 'postgresql', 'v12', kind, 'versioned');
    await sqlTool(bin, pg, database, ['update-schema', '-d', versioned]);
    done.push(`${database}: ${before.exists ? (before.versioned ? 'upgraded if needed' : 'schema set up') : 'created and set up'}`);
  }
  return done;
}

/** The connection settings of a postgres:// URL. */
export function postgresTarget(url: string): PostgresTarget {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}
