/**
 * The policy fan-out's side effects: which running patch workflows a region's change reaches (from the
 * read model), and signalling them with bounded concurrency. Signals carry the policy version; a workflow
 * ignores versions it has already applied, so repeating a page is harmless.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { patches, regionPolicies, tasks } from '../db/schema';
import { withinRegion } from '../db/region-filter';
import { type PolicyDues, policyChangedSignal } from '../domain/messages';
import { computePolicyDues, recordPolicyDues } from './policy-dues';

export function createPolicyActivities(db: Db, temporal?: Client) {
  /** Workflows (patches and cases) of the subtree with an open task: those whose timers a change can move. */
  const targets = (regionCode: string) => and(eq(tasks.status, 'open'), withinRegion(patches.countyCode, regionCode));

  async function listPolicyTargets(input: { regionCode: string; after?: string; limit: number }): Promise<string[]> {
    const rows = await db
      .selectDistinct({ workflowId: tasks.workflowId })
      .from(tasks)
      .innerJoin(patches, eq(patches.code, tasks.patchCode))
      .where(and(targets(input.regionCode), input.after ? gt(tasks.workflowId, input.after) : undefined))
      .orderBy(asc(tasks.workflowId))
      .limit(input.limit);
    return rows.map((r) => r.workflowId);
  }

  return {
    async countPolicyTargets(input: { regionCode: string }): Promise<number> {
      const [{ n }] = await db
        .select({ n: sql<number>`count(distinct ${tasks.workflowId})::int` })
        .from(tasks)
        .innerJoin(patches, eq(patches.code, tasks.patchCode))
        .where(targets(input.regionCode));
      return n;
    },

    listPolicyTargets,

    /**
     * The change's new due instants of the whole subtree, recorded in the read model page by page
     * (policy-dues.ts) before any workflow is signalled: what inboxes and statistics show moves at once. Resumes
     * after the last page a previous attempt reported in its heartbeat. `now`: the broadcast's workflow clock.
     */
    async recordPolicyChange(input: { regionCode: string; version: number; now: number; pageSize: number }): Promise<{ recorded: number }> {
      const ctx = Context.current();
      let cursor = ctx.info.heartbeatDetails as string | undefined;
      let recorded = 0;
      for (;;) {
        const page = await listPolicyTargets({ regionCode: input.regionCode, after: cursor, limit: input.pageSize });
        if (page.length === 0) break;
        recorded += (await recordPolicyDues(db, { workflowIds: page, version: input.version, now: input.now })).size;
        cursor = page[page.length - 1];
        ctx.heartbeat(cursor);
        if (page.length < input.pageSize) break;
      }
      return { recorded };
    },

    /**
     * Signals each workflow; resumes after the last one a previous attempt reported in its heartbeat. With
     * `withDues` (the instants recorded first by recordPolicyChange), each patch workflow's signal carries its
     * own, computed again here from the same rows and policy; without (a broadcast from before), the version alone.
     */
    async signalPolicyChanged(input: {
      workflowIds: string[];
      version: number;
      concurrency: number;
      withDues?: boolean;
    }): Promise<{ signalled: number; gone: number }> {
      if (!temporal) throw new Error('signalPolicyChanged needs a Temporal client');
      const ctx = Context.current();
      const startAt = (ctx.info.heartbeatDetails as number | undefined) ?? 0;
      const dues = input.withDues ? (await computePolicyDues(db, input)).dues : new Map<string, PolicyDues>();
      let next = startAt;
      let signalled = 0;
      let gone = 0;
      let done = startAt;
      await Promise.all(
        Array.from({ length: Math.max(1, input.concurrency) }, async () => {
          while (next < input.workflowIds.length) {
            const id = input.workflowIds[next++];
            try {
              await temporal.workflow.getHandle(id).signal(policyChangedSignal, { version: input.version, dues: dues.get(id) });
              signalled++;
            } catch (err) {
              // A workflow that closed since the page was read has no timers left to move.
              if (!(err instanceof WorkflowNotFoundError)) throw err;
              gone++;
            }
            done++;
            ctx.heartbeat(done);
          }
        }),
      );
      return { signalled: signalled + startAt, gone };
    },

    async markBroadcastDone(input: { policyId: number; signalled: number }): Promise<void> {
      await db.update(regionPolicies).set({ broadcastSignalled: input.signalled, broadcastDoneAt: new Date() }).where(eq(regionPolicies.id, input.policyId));
    },
  };
}
