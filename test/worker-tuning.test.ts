/**
 * The worker's cache and slots are the system's own (worker/create.ts WORKER_TUNING), not the SDK's
 * defaults, whose workflow cache grows with the heap limit (some 2,300 workflows on a 4 GB heap) and so
 * holds a whole import batch in memory (bench:import).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WORKER_TUNING } from '../worker/create';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

it('runs with a bounded workflow cache and deliberate slots', () => {
  const options = sys.worker!.options;
  expect(options.maxCachedWorkflows).toBe(WORKER_TUNING.maxCachedWorkflows);
  expect(options.maxCachedWorkflows).toBeLessThanOrEqual(500);
  // The slots end up as the tuner's fixed-size suppliers.
  expect(options.tuner).toMatchObject({
    workflowTaskSlotSupplier: { type: 'fixed-size', numSlots: WORKER_TUNING.maxConcurrentWorkflowTaskExecutions },
    activityTaskSlotSupplier: { type: 'fixed-size', numSlots: WORKER_TUNING.maxConcurrentActivityTaskExecutions },
    localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: WORKER_TUNING.maxConcurrentLocalActivityExecutions },
  });
});
