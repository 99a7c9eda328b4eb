/**
 * Every side effect of the workflows, bound to the database. The worker registers these; workflow code
 * only sees their types through proxyActivities.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { createAssignmentActivities } from './assignment';
import { createCaseActivities } from './cases';
import { createMeasurementActivities } from './measurement';
import { createMergeActivities } from './merge';
import { createPolicyActivities } from './policies';
import { createQuotaActivities } from './quota';
import { createReviewActivities } from './review';
import { createSplitActivities } from './split';
import { createTaskActivities } from './tasks';

/** `temporal` is the client activities use to signal other workflows (the policy fan-out). */
export function createActivities(db: Db, temporal?: Client, taskQueue?: string) {
  return {
    ...createTaskActivities(db),
    ...createAssignmentActivities(db),
    ...createReviewActivities(db),
    ...createCaseActivities(db, temporal, taskQueue),
    ...createQuotaActivities(db),
    ...createPolicyActivities(db, temporal),
    ...createSplitActivities(db),
    ...createMergeActivities(db, temporal),
    ...createMeasurementActivities(db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
