/** The activity proxies of workflows with human tasks. */
import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Opening and closing a task are short database writes on the hot path of every patch: run as local
 * activities (in the worker, no task-queue round trip) since the 'local-task-activities' patch; histories
 * from before it keep replaying with the ordinary activities.
 */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Asked at each call (the `patched()` marker goes where the command is). */
export const taskActivities = () => (patched('local-task-activities') ? local : acts);

/**
 * The decisions and read-model writes between a patch's tasks — which review level covers it, whether a
 * higher level checks it on site, its re-check plan, its row's stage — are short database reads and writes
 * too: as local activities since the 'local-decision-activities' patch, each spares a completion's Update a
 * task-queue round trip and six history events (bench:tasks, bench:history).
 */
export const decisionActivities = () => (patched('local-decision-activities') ? local : acts);

/**
 * A policy change re-arms every open task of thousands of workflows at once (bench:fanout): recomputing their due
 * instants is one short transaction, run as a local activity since the 'local-recompute-deadlines' patch, so each
 * workflow takes the change in one workflow task instead of two and an activity task.
 */
export const deadlineActivities = () => (patched('local-recompute-deadlines') ? local : acts);
