/** The task engine of the workflows with human tasks (see engine.ts for its parts). */
export { acts, decisionActivities } from './activities';
export { createTaskEngine, type TaskEngine } from './engine';
export { fail, type OpenTaskSpec, parentRegion, SYSTEM, type TaskBookState } from './types';
