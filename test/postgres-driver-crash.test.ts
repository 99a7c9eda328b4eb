/**
 * The postgres.js crash of porsager/postgres#1066 / #1154, made deterministic: PostgreSQL closes the
 * connection (a FIN, as when it is stopped) while a transaction (sql.begin) waits for a query. The
 * connection's close handler sets its socket to null and rejects the query; the transaction then sends
 * `rollback` on that same, now closed connection: execute() buffers it and schedules
 * setImmediate(nextWrite), which calls `socket.write` on null. Unpatched, that TypeError is thrown outside
 * any await and kills the process (here: an 'uncaughtException', and the pool never answers again).
 * With patches/postgres+3.4.10.patch the write is dropped, the process lives on, and the next query
 * opens a fresh connection.
 *
 * Uses the shared server of global-setup (only `select`s, nothing written) behind a node:net proxy that
 * the test cuts.
 */
import net from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

let proxy: net.Server;
const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
let proxyUrl: string;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => uncaught.push(err);

beforeAll(async () => {
  const server = new URL(inject('pgServerUrl'));
  const upstreamHost = server.hostname;
  const upstreamPort = Number(server.port || 5432);
  proxy = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, upstreamHost);
    const pair = { client, upstream };
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => pairs.delete(pair);
    client.on('error', () => undefined).on('close', drop);
    upstream.on('error', () => undefined).on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = new URL(server);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as net.AddressInfo).port);
  proxyUrl = url.toString();
  process.on('uncaughtException', onUncaught);
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  for (const { client, upstream } of pairs) {
    client.destroy();
    upstream.destroy();
  }
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

/** Closes every proxied connection the way a stopping PostgreSQL does: a FIN to the driver, no RST. */
function cutConnections(): number {
  const n = pairs.size;
  for (const { client, upstream } of pairs) {
    client.destroy();
    upstream.destroy();
  }
  return n;
}

it('a connection closed under a waiting transaction neither crashes the process nor wedges the pool', async () => {
  const sql = postgres(proxyUrl, { max: 1, onnotice: () => undefined, connect_timeout: 5 });
  try {
    expect((await sql`select 1 as x`)[0]!.x).toBe(1);

    const transaction = sql
      .begin(async (tx) => {
        await tx`select pg_sleep(10)`;
      })
      .then(
        () => 'committed',
        (err: any) => err?.code ?? String(err),
      );
    await new Promise((r) => setTimeout(r, 300)); // `begin` done, pg_sleep sent and waiting
    expect(cutConnections()).toBe(1);

    expect(await transaction).toBe('CONNECTION_CLOSED');
    // The rollback's write is scheduled with setImmediate: give it (and a few more turns) time to run.
    await new Promise((r) => setTimeout(r, 300));
    expect(uncaught.map(String)).toEqual([]);

    // The pool goes on: the next query opens a fresh connection through the proxy.
    const after = await Promise.race([
      sql`select 7 as x`,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s after the cut')), 5_000)),
    ]);
    expect(after[0]!.x).toBe(7);
    expect(uncaught.map(String)).toEqual([]);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}, 20_000);
