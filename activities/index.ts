/**
 * Every side effect of the workflows, bound to the database. The worker registers these; workflow code
 * only sees their types through proxyActivities.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { createCaseActivities } from './cases';
import { createPolicyActivities } from './policies';
import { createReviewActivities } from './review';
import { createTaskActivities } from './tasks';

/** `temporal` is the client activities use to signal other workflows (the policy fan-out). */
export function createActivities(db: Db, temporal?: Client) {
  return {
    ...createTaskActivities(db),
    ...createReviewActivities(db),
    ...createCaseActivities(db),
    ...createPolicyActivities(db, temporal),
  };
}

export type Activities = ReturnType<typeof createActivities>;
