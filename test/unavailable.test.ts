/**
 * Which errors mean "PostgreSQL (or Temporal) is unavailable for now" (infra/unavailable.ts): the API answers
 * them 503 with Retry-After and imports wait and resume. Real errors from real servers, as the code meets
 * them (drizzle wraps the driver's error).
 */
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { unavailable, unavailableDependency } from '../infra/unavailable';
import { connectDatabase } from '../db/client';
import { freePort } from './support/ports';

const failure = async (fn: () => Promise<unknown>): Promise<unknown> => {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
};

describe('an unavailable dependency', () => {
  it('is recognised in the driver error drizzle wraps when nothing listens on the port (ECONNREFUSED)', async () => {
    const database = connectDatabase(`postgres://postgres:x@127.0.0.1:${await freePort()}/none`, { max: 1 });
    try {
      const err = await failure(() => database.db.execute(sql`select 1`));
      expect(unavailableDependency(err)).toBe('database');
      expect(unavailable(err)).toMatchObject({ dependency: 'database', retryAfterSeconds: 5 });
    } finally {
      await database.close();
    }
  });

  it('is recognised when the server ends the session (57P01 admin shutdown, then CONNECTION_CLOSED)', async () => {
    const client = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
    try {
      const err = (await failure(() => client`select pg_terminate_backend(pg_backend_pid())`)) as { code?: string };
      expect(['57P01', 'CONNECTION_CLOSED']).toContain(err.code);
      expect(unavailableDependency(err)).toBe('database');
    } finally {
      await client.end({ timeout: 1 });
    }
  });

  it('is not any other database error: a syntax error or a division by zero stays what it is', async () => {
    const client = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
    try {
      expect(unavailableDependency(await failure(() => client`selec 1`))).toBeUndefined();
      const division = await failure(() => client`select * from (values (1)) v(x) where (select 1/0) = 1`);
      expect(unavailableDependency(division)).toBeUndefined();
      expect(unavailableDependency(new Error('ECONNREFUSED in a message only'))).toBeUndefined();
    } finally {
      await client.end({ timeout: 1 });
    }
  });

  it('is recognised from Temporal: a frontend that does not answer (gRPC UNAVAILABLE)', async () => {
    // Without the client's own gRPC retries, so the test does not wait them out.
    const connection = await Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] });
    const client = new Client({ connection });
    try {
      const err = await failure(() => client.workflowService.getSystemInfo({}));
      expect(unavailableDependency(err)).toBe('temporal');
    } finally {
      await connection.close().catch(() => undefined);
    }
  }, 60_000);
});
