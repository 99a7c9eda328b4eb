/**
 * Starting a policy version's fan-out (policyBroadcastWorkflow), so that saving a version and starting
 * its fan-out need not be atomic: the workflow id is fixed by the version (`policy-<region>-<id>`), so a
 * second start of the same version starts nothing; and a sweep starts the fan-out of every region's
 * newest version that has none (the API stopped between saving and starting, or the demo seed saved a
 * corrected preset). Older versions without one need none: the newest's fan-out makes workflows load the
 * region's current policy.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { regionPolicies } from '../../db/schema';
import type { PolicyBroadcastInput } from '../../workflows/policy-broadcast';

import { broadcastWorkflowIdOf } from '../../domain/policy';

export interface BroadcastDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

export { broadcastWorkflowIdOf };

/** Starts (once) the fan-out of a saved version and records its workflow id on the version. */
export async function startPolicyBroadcast(deps: BroadcastDeps, version: { id: number; regionCode: string }): Promise<string> {
  const workflowId = broadcastWorkflowIdOf(version.regionCode, version.id);
  const input: PolicyBroadcastInput = { regionCode: version.regionCode, policyId: version.id };
  try {
    await deps.temporal.workflow.start('policyBroadcastWorkflow', {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    // Started before (by the request that saved it, or an earlier sweep): nothing more to start.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  await deps.db.update(regionPolicies).set({ broadcastWorkflowId: workflowId }).where(eq(regionPolicies.id, version.id));
  return workflowId;
}

/** Starts the fan-out of each region's newest version that has none (saved at least `olderThanMs` ago); returns the workflow ids. */
export async function resumePendingBroadcasts(deps: BroadcastDeps, opts: { olderThanMs?: number } = {}): Promise<string[]> {
  const newest = deps.db
    .selectDistinctOn([regionPolicies.regionCode], {
      id: regionPolicies.id,
      regionCode: regionPolicies.regionCode,
      broadcastWorkflowId: regionPolicies.broadcastWorkflowId,
      createdAt: regionPolicies.createdAt,
    })
    .from(regionPolicies)
    .orderBy(regionPolicies.regionCode, desc(regionPolicies.version))
    .as('newest');
  const pending = await deps.db
    .select({ id: newest.id, regionCode: newest.regionCode })
    .from(newest)
    .where(and(isNull(newest.broadcastWorkflowId), lt(newest.createdAt, sql`now() - make_interval(secs => ${(opts.olderThanMs ?? 0) / 1000})`)));
  const started: string[] = [];
  for (const version of pending) started.push(await startPolicyBroadcast(deps, version));
  return started;
}

/** Sweeps now and then every `everyMs` (versions saved in the last 30 s are left to the request saving them). */
export function startBroadcastSweep(deps: BroadcastDeps & { log?: (msg: string, err?: unknown) => void }, everyMs = 60_000): () => void {
  const sweep = (olderThanMs: number) =>
    resumePendingBroadcasts(deps, { olderThanMs })
      .then((ids) => ids.length && deps.log?.(`started the policy fan-out of ${ids.join(', ')}`))
      .catch((err) => deps.log?.('policy fan-out sweep failed', err));
  void sweep(0);
  const timer = setInterval(() => void sweep(30_000), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
