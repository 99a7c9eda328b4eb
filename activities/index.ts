/**
 * Every side effect of the workflows, bound to the database. The worker registers these; workflow code
 * only sees their types through proxyActivities.
 */
import type { Db } from '../db/client';
import { createTaskActivities } from './tasks';

export function createActivities(db: Db) {
  return {
    ...createTaskActivities(db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
