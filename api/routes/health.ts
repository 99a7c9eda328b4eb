/**
 * GET /health: whether PostgreSQL and Temporal answer, and whether a worker polls the task queue. Each
 * check has a second: while something is down the answer (503, naming what) still comes at once.
 */
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

export function registerHealthRoutes(app: FastifyInstance, deps: { database: Database; temporal: Client; taskQueue: string; namespace: string }) {
  app.get('/health', { schema: { tags: ['health'] }, config: { public: true } }, async (_req, reply) => {
    const [postgres, temporal, worker] = await Promise.all([
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
        return pollers;
      }),
    ]);
    const ok = postgres.ok && temporal.ok;
    return reply.status(ok ? 200 : 503).send({
      status: ok ? (worker.ok ? 'ok' : 'degraded') : 'unavailable',
      postgres: { ok: postgres.ok, latencyMs: postgres.latencyMs, error: postgres.error },
      temporal: { ok: temporal.ok, latencyMs: temporal.latencyMs, error: temporal.error },
      worker: { ok: worker.ok, pollers: worker.value ?? 0, error: worker.error },
    });
  });
}
