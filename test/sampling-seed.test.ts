/**
 * Guangdong's province samples 30% of each legality class at random (002 三(一)); the draw is reproducible
 * from a seed, so whoever knows the seed predicts which patches will be drawn. The policy API, the patch
 * and its audit show the seed to administrators only; the draw itself stays recorded for everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDraw } from '../domain/sampling';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const SEED = 'gd-2026-不公开';
const get = async (user: string, path: string) => {
  const res = await sys.http('GET', path, { token: await sys.login(user) });
  expect(res.status, `${user} ${path}`).toBe(200);
  return res.body;
};
const mentionsSeed = (v: unknown) => JSON.stringify(v).includes('sampleSeed') || JSON.stringify(v).includes(SEED);

describe('the sampling seed', () => {
  it("is shown to administrators only, in the policy, its versions, the patch's draws and the audit", async () => {
    // Guangdong sets its own seed (its other rules unchanged).
    const own = (await get('admin', '/api/regions/440000/policy')).own;
    const saved = await sys.http('PUT', '/api/regions/440000/policy', {
      token: await sys.login('admin'),
      body: { note: '省级抽查使用本省种子', overrides: { ...own, review: { ...own.review, sampleSeed: SEED } } },
    });
    expect(saved.status).toBe(200);

    for (const user of ['pj.officer', 'jm.reviewer', 'gd.reviewer']) {
      const policy = await get(user, '/api/regions/440703/policy');
      expect(policy.effective.review.chain).toHaveLength(2);
      expect(policy.effective.review).not.toHaveProperty('sampleSeed');
      expect(mentionsSeed(policy), user).toBe(false);
      expect(mentionsSeed(await get(user, '/api/regions/440000/policy/versions')), user).toBe(false);
    }
    expect((await get('admin', '/api/regions/440703/policy')).effective.review.sampleSeed).toBe(SEED);
    expect((await get('jm.admin', '/api/regions/440703/policy')).effective.review.sampleSeed).toBe(SEED);
    expect((await get('admin', '/api/regions/440000/policy/versions'))[0].overrides.review.sampleSeed).toBe(SEED);

    // The draw is recorded on the patch with its value and share, and reproducible with the seed.
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '440703' });
    await completeAs(sys, 'pj.officer', task.id, determination('legal'));
    await completeAs(sys, 'jm.reviewer', (await openTaskOf(sys, code, 'review', 'jm.reviewer')).id, { decision: 'pass' });
    const recorded = (await get('admin', `/api/patches/${code}`)).reviewDraws.province;
    expect(recorded).toMatchObject({ level: 'province', reason: 'sample', rate: 0.3, seed: SEED });
    expect(recorded.draw).toBe(sampleDraw(SEED, code, 'province'));

    const seen = (await get('pj.officer', `/api/patches/${code}`)).reviewDraws.province;
    expect(seen).toMatchObject({ draw: recorded.draw, rate: 0.3, selected: recorded.selected });
    expect(seen).not.toHaveProperty('seed');
    const officerAudit = await get('pj.officer', `/api/audit?filter=${encodeURIComponent(JSON.stringify({ patchCode: code, action: 'review.coverage' }))}`);
    expect(officerAudit).toHaveLength(2);
    expect(mentionsSeed(officerAudit)).toBe(false);
    expect(officerAudit.find((a: { after: { level: string } }) => a.after.level === 'province').after.draw).toBe(recorded.draw);
    const adminAudit = await get('admin', `/api/audit?filter=${encodeURIComponent(JSON.stringify({ patchCode: code, action: 'review.coverage' }))}`);
    expect(adminAudit.map((a: { after: { seed: string } }) => a.after.seed)).toEqual([SEED, SEED]);
  });
});
