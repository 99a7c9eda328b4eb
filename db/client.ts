import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction of Db, or Db itself: what a read inside a transaction must use (another pooled connection could deadlock the pool). */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function connectDatabase(url: string, opts: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    onnotice: () => {},
    // While PostgreSQL is down, a connection tries again after this many seconds: short, so that a request
    // fails fast (the API answers 503 within about a second) and the pool is back soon after the server
    // (the driver's own backoff grows to 20 s, holding requests that long).
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    connect_timeout: 10,
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

export { schema };
