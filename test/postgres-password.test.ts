/**
 * The embedded PostgreSQL does not log in as postgres/postgres: its password is random, made on the first
 * start and kept beside the data folder (mode 0600); a data folder made with the old default password is
 * moved to a random one on its next start and keeps its data.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedPasswordFile } from '../infra/config';
import { startEmbeddedPostgres } from '../infra/postgres';
import { freePort } from './support/ports';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wpzf-pgpw-'));
chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
const dataDir = path.join(tmp, 'pg');
const passwordFile = embeddedPasswordFile(dataDir);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What logging in as postgres with `password` gives: 'ok' or the server's error code. */
async function login(port: number, password: string): Promise<string> {
  const sql = postgres({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await sql`select 1`;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await sql.end({ timeout: 1 });
  }
}

describe('the embedded PostgreSQL password', () => {
  it('is random, kept in a 0600 file, and replaces the old default in an existing data folder', { timeout: 120_000 }, async () => {
    const port = await freePort();
    let pg = await startEmbeddedPostgres({ dataDir, port });
    const password = readFileSync(passwordFile, 'utf8').trim();
    try {
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      expect(pg.serverUrl).toContain(password);
      expect(await login(port, 'postgres')).toBe('28P01'); // invalid_password
      expect(await login(port, password)).toBe('ok');
      const url = await pg.createDatabase('kept');
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      await sql`create table t (v text)`;
      await sql`insert into t values ('before')`;
      // What a data folder made before the random password looks like: the old password, no file.
      await sql`alter role postgres with password 'postgres'`;
      await sql.end();
    } finally {
      await pg.stop();
    }
    unlinkSync(passwordFile);

    pg = await startEmbeddedPostgres({ dataDir, port, log: (m) => console.log(`[pg] ${m}`) });
    try {
      const migrated = readFileSync(passwordFile, 'utf8').trim();
      expect(migrated).toMatch(/^[0-9a-f]{48}$/);
      expect(migrated).not.toBe(password);
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      expect(await login(port, 'postgres')).toBe('28P01');
      expect(await login(port, migrated)).toBe('ok');
      const sql = postgres(pg.databaseUrl('kept'), { max: 1, onnotice: () => {} });
      expect(await sql`select v from t`).toEqual([{ v: 'before' }]);
      await sql.end();
    } finally {
      await pg.stop();
    }

    // A third start reads the file and needs no change.
    pg = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(await login(port, readFileSync(passwordFile, 'utf8').trim())).toBe('ok');
    } finally {
      await pg.stop();
    }
  });
});
