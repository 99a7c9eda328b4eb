/**
 * The history of a patch on the happy path (宁夏, 001: verification → city review → province review →
 * closed) stays small: at most 100 events, one run (no continue-as-new), and the decisions and read-model
 * writes between its tasks run as local activities ('local-decision-activities': no activity task on the
 * task queue for them). bench:history prints the same figures for many patches.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { recordHistory } from './support/histories';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

it('a happy-path patch closes within 100 events, in one run, with no task-queue activity between its tasks', async () => {
  const { code, task } = await issueAndWaitForTask(sys, { category: 'new_non_agricultural_construction' });
  await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 5, farmlandMu: 2 }));
  await completeAs(sys, 'yc.reviewer', (await openTaskOf(sys, code, 'review', 'yc.reviewer')).id, { decision: 'pass' });
  const done = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
  expect(done.stage).toBe('closed');
  const handle = sys.temporal.workflow.getHandle(code);
  await handle.result();
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  expect(events.length).toBeLessThanOrEqual(100);
  expect(events.some((e) => e.workflowExecutionContinuedAsNewEventAttributes)).toBe(false);
  const scheduled = events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
  // The one activity on the task queue: the measurement against the land layers on issuance, whose
  // intersections can take longer than a local activity should (workflows/patch/measure.ts).
  expect(scheduled).toEqual(['measurePatch']);
  await recordHistory(sys, code, 'happy-path-local-decisions');
});
