/** Builds the worker that runs the workflows and activities on one task queue. */
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Db } from '../db/client';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerDeps {
  connection: NativeConnection;
  db: Db;
  /** Client for activities that signal other workflows. */
  temporal?: Client;
  taskQueue: string;
  namespace?: string;
  /** A prebuilt bundle (tests build it once); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: { code: string };
  options?: Partial<WorkerOptions>;
}

/**
 * The worker's cache and concurrency, set for this system rather than left to the SDK (whose cache grows
 * with the heap limit: some 2,300 workflows on a 4 GB heap). A patch workflow waits weeks between tasks,
 * so a batch of 10,000 would stay cached whole and the process's memory grow with the batch; evicted, a
 * workflow replays its short history (tens of events, bench:history) when its next task comes. The slots
 * bound what one process runs at once on a small machine: more workflow tasks in flight than cores only
 * queue inside the process and stretch each task's latency (bench:import, bench:tasks).
 */
export const WORKER_TUNING = {
  maxCachedWorkflows: 400,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxConcurrentActivityTaskExecutions: 40,
  maxConcurrentLocalActivityExecutions: 40,
} satisfies Partial<WorkerOptions>;

export function createWorker(deps: WorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace ?? 'default',
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(deps.db, deps.temporal, deps.taskQueue),
    ...WORKER_TUNING,
    ...deps.options,
  });
}
