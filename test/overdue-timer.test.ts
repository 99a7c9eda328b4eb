/**
 * Month-long timers on the time-skipping test server: a task becomes overdue exactly at the end of its
 * due day (not before), supervisors are told, and after the policy's further period the next level up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotQuery } from '../workflows/messages';
import { issueAndWaitForTask, legalDetermination } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ timeSkipping: true });
});
afterAll(async () => {
  await sys?.stop();
});

describe("the verification deadline (Nan'an: 15 days after issuance)", () => {
  it('is not overdue before the end of the due day, is overdue after, and escalates three days later', async () => {
    const env = sys.env!;
    const clock = async () => Number(await env.currentTimeMs());
    const now = await clock();
    const issuedAt = new Date(now).toISOString();
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt });
    const due = new Date(task.dueAt).getTime();
    expect(due - now).toBeGreaterThan(14 * 24 * 3600_000);
    const handle = sys.temporal.workflow.getHandle(code);

    await env.sleep(due - (await clock()) - 3600_000); // an hour before the end of the due day
    expect((await handle.query(snapshotQuery)).overdue).toBe(false);
    expect((await sys.sql`select overdue from tasks where id = ${task.id}`)[0].overdue).toBe(false);

    await env.sleep(2 * 3600_000); // an hour after
    expect((await handle.query(snapshotQuery)).overdue).toBe(true);
    const [row] = await sys.sql`select overdue, status, escalated_at from tasks where id = ${task.id}`;
    expect(row).toMatchObject({ overdue: true, status: 'open', escalated_at: null });
    const notes = await sys.sql`select region_code, kind from notifications where task_id = ${task.id} order by id`;
    expect(notes).toEqual([{ region_code: '350583', kind: 'overdue' }]);

    await env.sleep(3 * 24 * 3600_000); // the default escalation period
    const escalated = await sys.sql`select region_code, kind from notifications where task_id = ${task.id} order by id`;
    expect(escalated).toEqual([
      { region_code: '350583', kind: 'overdue' },
      { region_code: '350500', kind: 'escalation' },
    ]);

    // Nothing was decided by the timer: the officer still completes the task.
    const officer = await sys.login('na.officer');
    const res = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination });
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('review');
  });
});
