/**
 * 拆分 (docs/domain.md §13): a county splits a patch into children drawn within it that add up to its area; the
 * city's reviewer approves; each child is its own patchWorkflow (workflow id = child code, a child workflow of the
 * parent) with the parent's deadlines; the parent closes as 被拆分 with the children's outcomes; statistics count
 * the parent as issued and the children as determined, never both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotQuery } from '../workflows/messages';
import { recordHistory } from './support/histories';
import { box, completeAs, determination, HALVES, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const REVIEWER: Record<string, string> = { '640100': 'yc.reviewer', '640000': 'nx.reviewer' };

/** Files a legal determination on a child and passes every review until it closes. */
async function determineLegal(code: string) {
  const v = await openTaskOf(sys, code, 'verification', 'xq.officer');
  await completeAs(sys, 'xq.officer', v.id, determination('legal', { totalMu: 7 }));
  for (;;) {
    const snap = await sys.temporal.workflow.getHandle(code).query(snapshotQuery);
    if (snap.stage === 'closed') return;
    const review = snap.openTasks.find((t) => t.type === 'review');
    if (review) await completeAs(sys, REVIEWER[review.regionCode], review.taskId, { decision: 'pass' });
    else await new Promise((r) => setTimeout(r, 200));
  }
}

describe('splitting a patch (拆分)', () => {
  it('refuses children outside the patch or not adding up to it, and a split nobody may make', async () => {
    const { code } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    const outside = await sys.http('POST', `/api/patches/${code}/split`, {
      token: officer,
      body: { children: [HALVES[0], box(106.2806, 106.2812)].map((geometry) => ({ geometry })), reason: '分属不同审批' },
    });
    expect(outside.status).toBe(422);
    expect(outside.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'split_child_outside', path: 'children.1.geometry' })]));
    const short = await sys.http('POST', `/api/patches/${code}/split`, {
      token: officer,
      body: { children: [box(106.28, 106.2803), box(106.2806, 106.281)].map((geometry) => ({ geometry })), reason: '分属不同审批' },
    });
    expect(short.status).toBe(422);
    expect(short.body.issues[0]).toMatchObject({ code: 'split_area_mismatch', path: 'children' });
    // Another county's officer, and a reviewer, may not split the county's patch.
    const jm = await sys.http('POST', `/api/patches/${code}/split`, {
      token: await sys.login('pj.officer'),
      body: { children: HALVES.map((geometry) => ({ geometry })), reason: '分属不同审批' },
    });
    expect(jm.status).toBe(403);
    const reviewer = await sys.http('POST', `/api/patches/${code}/split`, {
      token: await sys.login('yc.reviewer'),
      body: { children: HALVES.map((geometry) => ({ geometry })), reason: '分属不同审批' },
    });
    expect(reviewer.status).toBe(403);
    expect((await sys.sql`select count(*)::int as n from patch_splits where parent_code = ${code}`)[0].n).toBe(0);
  });

  it('runs each approved child as its own process with the parent’s deadline, and closes the parent as 被拆分 with their outcomes', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { issuedAt: '2026-03-10T02:00:00Z' });
    const officer = await sys.login('xq.officer');
    const res = await sys.http('POST', `/api/patches/${code}/split`, {
      token: officer,
      body: { children: HALVES.map((geometry) => ({ geometry })), reason: '北侧已批准建设，南侧未批先建' },
    });
    expect(res.status).toBe(201);
    expect(res.body.split.children.map((c: { code: string }) => c.code)).toEqual([`${code}_1`, `${code}_2`]);
    // One split at a time.
    const again = await sys.http('POST', `/api/patches/${code}/split`, {
      token: officer,
      body: { children: HALVES.map((geometry) => ({ geometry })), reason: '再次拆分' },
    });
    expect(again.status).toBe(409);

    const review = await openTaskOf(sys, code, 'split_review', 'yc.reviewer');
    expect(review).toMatchObject({ regionCode: '640100', role: 'reviewer' });
    await completeAs(sys, 'yc.reviewer', review.id, { decision: 'approve' });

    const parent = await eventually(async () => {
      const [row] = await sys.sql`select stage from patches where code = ${code}`;
      return row.stage === 'split' ? row : undefined;
    });
    expect(parent.stage).toBe('split');
    // The county's verification of the whole patch ended with the split.
    const [verification] = await sys.sql`select status from tasks where id = ${task.id}`;
    expect(verification.status).toBe('cancelled');
    const children = await sys.sql`select code, parent_code, area_mu, issued_at, county_code from patches where parent_code = ${code} order by code`;
    expect(children.map((c) => c.code)).toEqual([`${code}_1`, `${code}_2`]);
    const sum = children.reduce((s, c) => s + Number(c.area_mu), 0);
    expect(Math.abs(sum - 14.47)).toBeLessThan(0.3);
    for (const child of children) {
      // Each child is a patchWorkflow of its own, started by the parent, with the parent's deadline.
      const description = await sys.temporal.workflow.getHandle(child.code).describe();
      expect(description.type).toBe('patchWorkflow');
      expect(description.parentExecution?.workflowId).toBe(code);
      const childTask = await openTaskOf(sys, child.code, 'verification', 'xq.officer');
      expect(childTask.dueAt).toBe(task.dueAt);
    }
    const detail = await sys.http('GET', `/api/patches/${code}`, { token: officer });
    expect(detail.body.children.map((c: { code: string }) => c.code)).toEqual([`${code}_1`, `${code}_2`]);
    expect((await sys.http('GET', `/api/patches/${code}_1`, { token: officer })).body.parentCode).toBe(code);

    for (const child of children) await determineLegal(child.code);
    const result = await sys.temporal.workflow.getHandle(code).result();
    expect(result.stage).toBe('split');
    expect(result.split?.outcomes).toEqual([
      { code: `${code}_1`, stage: 'closed', legality: 'legal', caseNo: null },
      { code: `${code}_2`, stage: 'closed', legality: 'legal', caseNo: null },
    ]);
    await recordHistory(sys, code, 'split-parent');
    await recordHistory(sys, `${code}_1`, 'split-child');
    const [closed] = await sys.sql`select closed_at from patches where code = ${code}`;
    expect(closed.closed_at).toBeTruthy();
    const [audit] = await sys.sql`select after from audit_log where patch_code = ${code} and action = 'patch.split_closed'`;
    expect(audit.after.detail.children).toHaveLength(2);

    // Counting never counts twice: issued = unsplit + parents; determinations and areas = unsplit + children.
    const stats = await sys.http('GET', '/api/statistics?regionCode=640104&from=2026-03-01&to=2026-04-01', { token: await sys.login('admin') });
    expect(stats.status).toBe(200);
    expect(stats.body.counting).toEqual({ issued: 'unsplit_and_parents', determinations: 'unsplit_and_children' });
    expect(stats.body.figures).toMatchObject({ issued: 1, verificationOpen: 0, legal: { count: 2, areaMu: 14 } });
  });

  it('lets the reviewer refuse a split: the county verifies the whole patch', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    expect(
      (
        await sys.http('POST', `/api/patches/${code}/split`, {
          token: officer,
          body: { children: HALVES.map((geometry) => ({ geometry })), reason: '分属不同审批' },
        })
      ).status,
    ).toBe(201);
    const review = await openTaskOf(sys, code, 'split_review', 'yc.reviewer');
    await completeAs(sys, 'yc.reviewer', review.id, { decision: 'reject', reason: '拆分界线与影像不符' });
    const [split] = await sys.sql`select status, decided_by from patch_splits where parent_code = ${code}`;
    expect(split.status).toBe('rejected');
    const [verification] = await sys.sql`select status from tasks where id = ${task.id}`;
    expect(verification.status).toBe('open');
    expect((await sys.sql`select count(*)::int as n from patches where parent_code = ${code}`)[0].n).toBe(0);
  });
});
