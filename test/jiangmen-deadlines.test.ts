/**
 * Jiangmen's deadlines (002 三(一)) as the running system computes them: the annual supplementary batch
 * is due on 5 March after its survey year even when no imaging date came with it, and the dates cover the
 * city's review too ("完成市、县级审核工作").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

describe('the annual supplementary batch (年度卫片执法补充图斑)', () => {
  it('issued in January without an imaging date: verification due 5 March of that year', async () => {
    const { task } = await issueAndWaitForTask(sys, { countyCode: '440703', batchKind: 'annual_supplementary', issuedAt: '2026-01-20T02:00:00Z' });
    expect(task.type).toBe('verification');
    expect(task.dueAt).toBe('2026-03-05T15:59:59.999Z');
  });
  it('with the survey date: 5 March of the next year', async () => {
    const { task } = await issueAndWaitForTask(sys, {
      countyCode: '440703',
      batchKind: 'annual_supplementary',
      issuedAt: '2026-01-20T02:00:00Z',
      imagedAt: '2025-12-31T02:00:00Z',
    });
    expect(task.dueAt).toBe('2026-03-05T15:59:59.999Z');
  });
});

describe('the city review (002 三(一): 完成市、县级审核工作)', () => {
  it('an April patch: the city reviews by the 15th of May, like the county', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '440703', issuedAt: '2026-04-03T02:00:00Z' });
    expect(task.dueAt).toBe('2026-05-15T15:59:59.999Z');
    await completeAs(sys, 'pj.officer', task.id, determination('legal'));
    const review = await openTaskOf(sys, code, 'review', 'jm.reviewer');
    expect(review).toMatchObject({ regionCode: '440700', level: 'city', dueAt: '2026-05-15T15:59:59.999Z' });
  });
  it('a February patch: by 30 April', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '440703', issuedAt: '2026-02-10T02:00:00Z' });
    await completeAs(sys, 'pj.officer', task.id, determination('legal'));
    expect((await openTaskOf(sys, code, 'review', 'jm.reviewer')).dueAt).toBe('2026-04-30T15:59:59.999Z');
  });
});
