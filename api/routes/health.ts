/**
 * GET /health: whether PostgreSQL and Temporal answer, and whether a worker polls the task queue. Each
 * check has a second: while something is down the answer (503, naming what) still comes at once.
 * On a self-hosted cluster (TEMPORAL_SERVICES) it names each Temporal service too — frontend, history,
 * matching, worker — with whether its gRPC port answers, and the identities of the workers polling.
 */
import net from 'node:net';
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client';

const CHECK_MS = 1000;

async function timed<T>(fn: () => Promise<T>): Promise<{ ok: boolean; latencyMs: number; error?: string; value?: T }> {
  const t = performance.now();
  try {
    const value = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${CHECK_MS} ms`)), CHECK_MS).unref()),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - t), value };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - t), error: (err as Error).message };
  }
}

/** Whether `address` (host:port) accepts a TCP connection. */
function answers(address: string): Promise<true> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(err);
    });
  });
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { database: Database; temporal: Client; taskQueue: string; namespace: string; temporalServices?: Record<string, string> },
) {
  const services = Object.entries(deps.temporalServices ?? {});
  app.get('/health', { schema: { tags: ['health'] }, config: { public: true } }, async (_req, reply) => {
    const [postgres, temporal, worker, ...serviceChecks] = await Promise.all([
      timed(() => deps.database.sql`select 1`),
      timed(() => deps.temporal.connection.withDeadline(Date.now() + CHECK_MS, () => deps.temporal.workflowService.getSystemInfo({}))),
      timed(async () => {
        const res = await deps.temporal.connection.withDeadline(Date.now() + CHECK_MS, () =>
          deps.temporal.workflowService.describeTaskQueue({
            namespace: deps.namespace,
            taskQueue: { name: deps.taskQueue },
            taskQueueType: 1, // workflow task queue
          }),
        );
        // The server lists a poller for minutes after it went away; a live one polls at least every
        // long-poll period (about a minute).
        const recent = Date.now() - 90_000;
        const pollers = (res.pollers ?? []).filter((p) => !p.lastAccessTime?.seconds || Number(p.lastAccessTime.seconds) * 1000 > recent).length;
        if (pollers === 0) throw new Error(`no worker polls task queue ${deps.taskQueue}`);
        return { pollers, identities: (res.pollers ?? []).map((p) => p.identity ?? '').filter(Boolean) };
      }),
      ...services.map(([, address]) => timed(() => answers(address))),
    ]);
    const ok = postgres.ok && temporal.ok;
    return reply.status(ok ? 200 : 503).send({
      status: ok ? (worker.ok && serviceChecks.every((c) => c.ok) ? 'ok' : 'degraded') : 'unavailable',
      postgres: { ok: postgres.ok, latencyMs: postgres.latencyMs, error: postgres.error },
      temporal: { ok: temporal.ok, latencyMs: temporal.latencyMs, error: temporal.error },
      worker: {
        ok: worker.ok,
        pollers: worker.value?.pollers ?? 0,
        error: worker.error,
        ...(services.length ? { identities: worker.value?.identities ?? [] } : {}),
      },
      ...(services.length
        ? {
            temporalServices: Object.fromEntries(
              services.map(([name, address], i) => [
                name,
                { ok: serviceChecks[i]!.ok, address, latencyMs: serviceChecks[i]!.latencyMs, error: serviceChecks[i]!.error },
              ]),
            ),
          }
        : {}),
    });
  });
}
