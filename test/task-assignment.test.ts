/**
 * Claim, unclaim and assign (work distribution, in PostgreSQL): who may, the answers (200, 409, 403, 404,
 * 422), an audit entry once per change, concurrent claims taking effect once, and the inbox filters.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignTaskUpdate, completeTaskUpdate, snapshotQuery, type AssignTaskResult } from '../workflows/messages';
import { issueAndWaitForTask, legalDetermination } from './support/fixtures';
import { recordHistory } from './support/histories';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const userId = async (username: string) => (await sys.sql`select id from users where username = ${username}`)[0].id as number;
const audits = async (taskId: string, action: string) =>
  (await sys.sql`select actor_name, before, after from audit_log where task_id = ${taskId} and action = ${action} order by id`) as unknown as Array<{
    actor_name: string;
    before: { assigneeId: number | null };
    after: { assigneeId: number | null };
  }>;
const assignee = async (taskId: string) => (await sys.sql`select assignee_id from tasks where id = ${taskId}`)[0].assignee_id as number | null;
const post = async (username: string, path: string, body?: unknown) => sys.http('POST', path, { token: await sys.login(username), body });
const listIds = async (username: string, filter: object) =>
  (
    (await sys.http('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify(filter))}`, { token: await sys.login(username) })).body as Array<{
      id: string;
    }>
  ).map((t) => t.id);

describe('claiming a task', () => {
  it('an officer of the county claims it once: 200 with the assignee, one audit entry, repeats harmless', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const first = await post('xq.officer', `/api/tasks/${task.id}/claim`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: task.id, assigneeId: await userId('xq.officer'), assigneeName: '兴庆区核查员' });
    const again = await post('xq.officer', `/api/tasks/${task.id}/claim`);
    expect(again.status).toBe(200);
    const entries = await audits(task.id, 'task.claimed');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_name: '兴庆区核查员', before: { assigneeId: null }, after: { assigneeId: await userId('xq.officer') } });
  });

  it('409 when someone else holds it, and the holder stays', async () => {
    const { task } = await issueAndWaitForTask(sys);
    expect((await post('xq.officer', `/api/tasks/${task.id}/claim`)).status).toBe(200);
    const other = await post('xq.secret', `/api/tasks/${task.id}/claim`);
    expect(other.status).toBe(409);
    expect(other.body.message).toContain('兴庆区核查员');
    expect(await assignee(task.id)).toBe(await userId('xq.officer'));
    expect(await audits(task.id, 'task.claimed')).toHaveLength(1);
  });

  it('concurrent claims by two officers take effect once: one 200, the other 409, one audit entry', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const tokens = [await sys.login('xq.officer'), await sys.login('xq.secret')];
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => sys.http('POST', `/api/tasks/${task.id}/claim`, { token: tokens[i % 2] })));
    const winners = answers.filter((a) => a.status === 200);
    const holder = await assignee(task.id);
    expect(holder).not.toBeNull();
    // Every 200 went to the holder (repeats of the winner are harmless), every other answer is 409.
    for (const a of winners) expect(a.body.assigneeId).toBe(holder);
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(answers.filter((a) => a.status === 409).length).toBeGreaterThanOrEqual(3);
    expect(await audits(task.id, 'task.claimed')).toHaveLength(1);
  });

  it('403 outside the region or for another role, 404 for an unknown task; nothing is written', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const outside = await post('dcf.officer', `/api/tasks/${task.id}/claim`);
    expect(outside.status).toBe(403);
    expect(outside.body.message).toContain('不在您的辖区');
    const reviewer = await post('yc.reviewer', `/api/tasks/${task.id}/claim`);
    expect(reviewer.status).toBe(403);
    expect(reviewer.body.message).toContain('核查员');
    expect((await post('xq.officer', `/api/tasks/${encodeURIComponent('NOPE:1')}/claim`)).status).toBe(404);
    expect(await assignee(task.id)).toBeNull();
    expect(await audits(task.id, 'task.claimed')).toHaveLength(0);
  });

  it('a completed task cannot be claimed (409), and a claimed task is completed only by its holder (403 for anyone else)', async () => {
    const { task } = await issueAndWaitForTask(sys);
    expect((await post('xq.secret', `/api/tasks/${task.id}/claim`)).status).toBe(200);
    const byOther = await post('xq.officer', `/api/tasks/${task.id}/complete`, legalDetermination);
    expect(byOther.status).toBe(403);
    expect(byOther.body.message).toContain('兴庆区涉密核查员');
    expect((await post('xq.secret', `/api/tasks/${task.id}/complete`, legalDetermination)).status).toBe(200);
    const late = await post('xq.officer', `/api/tasks/${task.id}/claim`);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('TaskNotOpen');
  });
});

describe("the holder is the workflow's to know", () => {
  const actorFor = async (username: string) => {
    const [u] = await sys.sql`select id, username, display_name, role, region_code, classified from users where username = ${username}`;
    return {
      userId: u.id as number,
      username: u.username as string,
      displayName: u.display_name as string,
      role: u.role as 'officer',
      regionCode: u.region_code as string,
      classified: u.classified as boolean,
    };
  };

  it('refuses a completion by someone other than the holder even when it bypasses the API, and changes nothing', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    expect((await post('xq.secret', `/api/tasks/${task.id}/claim`)).status).toBe(200);
    const handle = sys.temporal.workflow.getHandle(code);
    const err = await handle
      .executeUpdate(completeTaskUpdate, {
        args: [{ taskId: task.id, actor: await actorFor('xq.officer'), payload: { kind: 'verification', ...legalDetermination } as never }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('Forbidden');
    expect((await handle.query(snapshotQuery)).openTasks.map((t) => t.taskId)).toEqual([task.id]);
    expect((await sys.sql`select status from tasks where id = ${task.id}`)[0].status).toBe('open');
  });

  it("follows claim, release, assignment and the holder's completion in the workflow (history recorded)", async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    expect((await post('xq.officer', `/api/tasks/${task.id}/claim`)).status).toBe(200);
    expect((await post('yc.reviewer', `/api/tasks/${task.id}/unclaim`)).status).toBe(200);
    expect((await post('yc.reviewer', `/api/tasks/${task.id}/assign`, { userId: await userId('xq.secret') })).status).toBe(200);
    const handle = sys.temporal.workflow.getHandle(code);
    expect((await handle.query(snapshotQuery)).openTasks.find((t) => t.taskId === task.id)?.assignee).toEqual({
      userId: await userId('xq.secret'),
      displayName: '兴庆区涉密核查员',
    });
    expect((await post('xq.officer', `/api/tasks/${task.id}/complete`, legalDetermination)).status).toBe(403);
    expect((await post('xq.secret', `/api/tasks/${task.id}/complete`, legalDetermination)).status).toBe(200);
    const actions = (await sys.sql`select action from audit_log where task_id = ${task.id} order by id`).map((r) => r.action);
    expect(actions).toEqual(['verification.opened', 'task.claimed', 'task.unclaimed', 'task.assigned', 'verification.completed']);
    await recordHistory(sys, code, 'claim-release-assign-complete');
  });

  it('claims racing straight into the workflow take effect once', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const handle = sys.temporal.workflow.getHandle(code);
    const [a, b] = [await actorFor('xq.officer'), await actorFor('xq.secret')];
    const answers = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => handle.executeUpdate(assignTaskUpdate, { args: [{ taskId: task.id, actor: i % 2 ? b : a, action: 'claim' }] })),
    );
    const won = answers.filter((x): x is PromiseFulfilledResult<AssignTaskResult> => x.status === 'fulfilled');
    const holder = won.find((x) => x.value.changed)!.value.assignee!.userId;
    expect(won.filter((x) => x.value.changed)).toHaveLength(1);
    expect(won.every((x) => x.value.assignee?.userId === holder)).toBe(true);
    expect(answers.filter((x) => x.status === 'rejected').length).toBe(6 - won.length);
    expect(await assignee(task.id)).toBe(holder);
    expect(await audits(task.id, 'task.claimed')).toHaveLength(1);
  });
});

describe('unclaiming', () => {
  it("the holder releases it once; someone else cannot (409); a reviewer may release anyone's", async () => {
    const { task } = await issueAndWaitForTask(sys);
    await post('xq.officer', `/api/tasks/${task.id}/claim`);
    const stranger = await post('xq.secret', `/api/tasks/${task.id}/unclaim`);
    expect(stranger.status).toBe(409);
    expect(await assignee(task.id)).toBe(await userId('xq.officer'));
    const released = await post('xq.officer', `/api/tasks/${task.id}/unclaim`);
    expect(released.status).toBe(200);
    expect(released.body.assigneeId).toBeNull();
    expect((await post('xq.officer', `/api/tasks/${task.id}/unclaim`)).status).toBe(200);
    expect(await audits(task.id, 'task.unclaimed')).toHaveLength(1);

    await post('xq.secret', `/api/tasks/${task.id}/claim`);
    const byReviewer = await post('yc.reviewer', `/api/tasks/${task.id}/unclaim`);
    expect(byReviewer.status).toBe(200);
    expect(await assignee(task.id)).toBeNull();
    expect(await audits(task.id, 'task.unclaimed')).toHaveLength(2);
  });
});

describe('assigning', () => {
  it('a city reviewer assigns a county task to an officer of that county: 200, audited once', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const target = await userId('xq.secret');
    const res = await post('yc.reviewer', `/api/tasks/${task.id}/assign`, { userId: target });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ assigneeId: target, assigneeName: '兴庆区涉密核查员' });
    expect((await post('yc.reviewer', `/api/tasks/${task.id}/assign`, { userId: target })).status).toBe(200);
    const entries = await audits(task.id, 'task.assigned');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_name: '银川市审核员', after: { assigneeId: target } });
    // Reassigning over a holder is what assigners do.
    const back = await post('nx.supervisor', `/api/tasks/${task.id}/assign`, { userId: await userId('xq.officer') });
    expect(back.status).toBe(200);
    expect(await audits(task.id, 'task.assigned')).toHaveLength(2);
  });

  it('403 for officers and for assigners outside the region', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const target = await userId('xq.secret');
    const officer = await post('xq.officer', `/api/tasks/${task.id}/assign`, { userId: target });
    expect(officer.status).toBe(403);
    const outside = await post('lc.reviewer', `/api/tasks/${task.id}/assign`, { userId: target });
    expect(outside.status).toBe(403);
    expect(await assignee(task.id)).toBeNull();
    expect(await audits(task.id, 'task.assigned')).toHaveLength(0);
  });

  it('422 naming userId for a user of another region or role, an unknown user, or a malformed body', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const cases = [
      { userId: await userId('dcf.officer'), message: '不在任务所属区域' },
      { userId: await userId('yc.reviewer'), message: '核查员' },
      { userId: 999999, message: '不存在' },
    ];
    for (const c of cases) {
      const res = await post('yc.reviewer', `/api/tasks/${task.id}/assign`, { userId: c.userId });
      expect(res.status).toBe(422);
      expect(res.body.errors.userId).toContain(c.message);
    }
    const malformed = await post('yc.reviewer', `/api/tasks/${task.id}/assign`, { userId: 'xq.officer' });
    expect(malformed.status).toBe(422);
    expect(Object.keys(malformed.body.errors)).toEqual(['userId']);
    expect(await assignee(task.id)).toBeNull();
  });

  it('a classified task goes only to users with the permission', async () => {
    const { task } = await issueAndWaitForTask(sys, { military: true }, { asUser: 'admin', taskType: 'military_report' });
    const plain = await post('admin', `/api/tasks/${task.id}/assign`, { userId: await userId('xq.officer') });
    expect(plain.status).toBe(422);
    expect(plain.body.errors.userId).toContain('涉密');
    expect((await post('admin', `/api/tasks/${task.id}/assign`, { userId: await userId('xq.secret') })).status).toBe(200);
    // To those without the permission the task does not exist.
    expect((await post('yc.reviewer', `/api/tasks/${task.id}/assign`, { userId: await userId('xq.secret') })).status).toBe(404);
  });
});

describe('the inbox lists', () => {
  it('"mine" and "unassigned" follow claims', async () => {
    const a = await issueAndWaitForTask(sys);
    const b = await issueAndWaitForTask(sys);
    await post('xq.officer', `/api/tasks/${a.task.id}/claim`);
    const mine = await listIds('xq.officer', { assignee: 'me', status: 'open' });
    expect(mine).toContain(a.task.id);
    expect(mine).not.toContain(b.task.id);
    const unassigned = await listIds('xq.officer', { assignee: 'none', status: 'open', role: 'officer' });
    expect(unassigned).toContain(b.task.id);
    expect(unassigned).not.toContain(a.task.id);
    expect(await listIds('xq.secret', { assignee: 'me' })).not.toContain(a.task.id);
  });

  it('filters by due date (the end of that day in Shanghai), category, batch and region; 403 for a region outside', async () => {
    const early = await issueAndWaitForTask(sys, { issuedAt: '2026-10-10T02:00:00Z', category: 'continuous_change', batchCode: 'B-2026-10' });
    const late = await issueAndWaitForTask(sys, { issuedAt: '2026-11-10T02:00:00Z' });
    // Ningxia: due the 25th of the next month, end of day in Shanghai.
    expect(early.task.dueAt).toBe('2026-11-25T15:59:59.999Z');
    const due = await listIds('xq.officer', { dueBefore: '2026-11-25' });
    expect(due).toContain(early.task.id);
    expect(due).not.toContain(late.task.id);
    expect(await listIds('xq.officer', { dueBefore: '2026-11-24' })).not.toContain(early.task.id);
    expect(await listIds('xq.officer', { category: 'continuous_change' })).toEqual([early.task.id]);
    expect(await listIds('xq.officer', { batchCode: 'B-2026-10' })).toEqual([early.task.id]);
    expect(await listIds('yc.reviewer', { regionCode: '640104', status: 'open' })).toEqual(expect.arrayContaining([early.task.id, late.task.id]));
    const token = await sys.login('xq.officer');
    const outside = await sys.http('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ regionCode: '640100' }))}`, { token });
    expect(outside.status).toBe(403);
    const bad = await sys.http('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ dueBefore: 'soon' }))}`, { token });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(['querystring.filter.dueBefore']);
  });

  it('GET /users lists the users of a region subtree, for the assign picker', async () => {
    const token = await sys.login('yc.reviewer');
    const res = await sys.http('GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ regionCode: '640104', role: 'officer' }))}`, { token });
    expect(res.status).toBe(200);
    expect((res.body as Array<{ username: string }>).map((u) => u.username).sort()).toEqual(['xq.officer', 'xq.secret']);
    expect(res.headers.get('content-range')).toMatch(/^users 0-1\/2$/);
    const outside = await sys.http('GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ regionCode: '371502' }))}`, { token });
    expect(outside.status).toBe(403);
    const all = await sys.http('GET', '/api/users', { token });
    expect((all.body as Array<{ regionCode: string }>).every((u) => u.regionCode.startsWith('6401'))).toBe(true);
  });
});
