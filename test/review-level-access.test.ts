/**
 * Each level does its own review ("逐级审核上报", 001 三(三)): a province reviewer, whose region contains
 * the city's, may not complete, claim or be assigned the city's review, direct-determination or on-site
 * tasks. The refusal changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotQuery } from '../workflows/messages';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const post = async (user: string, path: string, body: unknown = {}) => sys.http('POST', path, { token: await sys.login(user), body });

describe("a province reviewer and the city's tasks (Ningxia: city, then province)", () => {
  it('may not complete or claim the city review, nor be assigned it; the city reviewer may', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 6 });
    await completeAs(sys, 'xq.officer', task.id, determination('other', { totalMu: 6, farmlandMu: 2 }));
    const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    expect(review).toMatchObject({ regionCode: '640100', level: 'city' });
    // The province reviewer sees it (it lies in the province) but does not do it.
    expect((await openTaskOf(sys, code, 'review', 'nx.reviewer')).id).toBe(review.id);

    const refused = await post('nx.reviewer', `/api/tasks/${review.id}/complete`, { decision: 'pass' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('须由市级审核员办理');
    expect((await post('nx.reviewer', `/api/tasks/${review.id}/claim`)).status).toBe(403);
    const [nx] = await sys.sql`select id from users where username = 'nx.reviewer'`;
    const assigned = await post('yc.reviewer', `/api/tasks/${review.id}/assign`, { userId: nx.id });
    expect(assigned.status).toBe(422);
    expect(Object.keys(assigned.body.errors)).toEqual(['userId']);
    expect((await sys.sql`select status, assignee_id from tasks where id = ${review.id}`)[0]).toEqual({ status: 'open', assignee_id: null });
    expect((await sys.temporal.workflow.getHandle(code).query(snapshotQuery)).stage).toBe('review');

    // The city sends it back, the county declines: the city's direct determination is the city's too.
    await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason: '实地为新建厂房' });
    await completeAs(sys, 'xq.officer', (await openTaskOf(sys, code, 'correction', 'xq.officer')).id, { decision: 'decline', reason: '坚持原判定' });
    const direct = await openTaskOf(sys, code, 'direct_determination', 'yc.reviewer');
    const directly = await post('nx.reviewer', `/api/tasks/${direct.id}/complete`, {
      ...determination('illegal', { totalMu: 6, farmlandMu: 2 }),
      reason: '省级代为认定',
    });
    expect(directly.status).toBe(403);
    const done = await completeAs(sys, 'yc.reviewer', direct.id, { ...determination('illegal', { totalMu: 6, farmlandMu: 2 }), reason: '县级拒不修改' });
    expect(done).toMatchObject({ stage: 'review', determinedLevel: 'city', directDetermination: true });
    // And the province does its own review.
    expect((await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, code, 'review', 'nx.reviewer')).id, { decision: 'pass' })).stage).toBe('case');
  });
});
