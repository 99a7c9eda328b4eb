/**
 * policyBroadcastWorkflow: carries a region's policy change to every running patch workflow in its
 * subtree. First records the new due instants of the patch workflows' open tasks in the read model (one
 * activity, page by page); then pages through the targets and signals each page with bounded concurrency from
 * an activity, each patch workflow's signal carrying its own instants; pauses between pages (throttle), and
 * checkpoints its cursor by continuing as new every few pages, so an interruption resumes where it stopped.
 * Progress is a query.
 */
import { continueAsNew, defineQuery, patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export interface BroadcastProgress {
  total: number;
  signalled: number;
  gone: number;
  pages: number;
  cursor?: string;
  done: boolean;
}

export interface PolicyBroadcastInput {
  regionCode: string;
  /** The region_policies row id: the version workflows compare with what they applied. */
  policyId: number;
  pageSize?: number;
  concurrency?: number;
  pauseMs?: number;
  pagesPerRun?: number;
  progress?: BroadcastProgress;
}

export const broadcastProgressQuery = defineQuery<BroadcastProgress>('progress');

export async function policyBroadcastWorkflow(input: PolicyBroadcastInput): Promise<BroadcastProgress> {
  const pageSize = input.pageSize ?? 200;
  const pagesPerRun = input.pagesPerRun ?? 20;
  const progress: BroadcastProgress = input.progress ?? {
    total: await acts.countPolicyTargets({ regionCode: input.regionCode }),
    signalled: 0,
    gone: 0,
    pages: 0,
    done: false,
  };
  setHandler(broadcastProgressQuery, () => progress);
  // Since 'policy-dues-in-signal': the new due instants of the whole subtree are recorded first, in one activity
  // (no workflow task between pages, which would queue behind the signalled workflows' own), and each signal
  // then carries its workflow's instants.
  const withDues = patched('policy-dues-in-signal');
  if (withDues && !input.progress) {
    await acts.recordPolicyChange({ regionCode: input.regionCode, version: input.policyId, now: Date.now(), pageSize });
  }

  for (let run = 0; ; run++) {
    const page = await acts.listPolicyTargets({ regionCode: input.regionCode, after: progress.cursor, limit: pageSize });
    if (page.length === 0) break;
    const res = await acts.signalPolicyChanged({ workflowIds: page, version: input.policyId, concurrency: input.concurrency ?? 20, withDues });
    progress.signalled += res.signalled;
    progress.gone += res.gone;
    progress.pages += 1;
    progress.cursor = page[page.length - 1];
    if (page.length < pageSize) break;
    if (input.pauseMs) await sleep(input.pauseMs);
    if (run + 1 >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof policyBroadcastWorkflow>({ ...input, progress });
    }
  }
  progress.done = true;
  await acts.markBroadcastDone({ policyId: input.policyId, signalled: progress.signalled });
  return progress;
}
