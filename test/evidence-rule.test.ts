/**
 * The evidence rule (policy verification.evidence) and the review decision, over the API: a county's 违法
 * determination, and a 合法 one without an approval document, carry a photo with a GPS position — else the
 * Update validator refuses it (422 naming determination.evidence) and nothing is recorded; a region can
 * change the rule; a higher level's direct determination is not held to it. A review without a decision is
 * a 422 naming `decision`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotQuery } from '../workflows/messages';
import { jpeg } from './support/evidence-files';
import { completeAs, determination, issueAndWaitForTask, openTaskOf, SITE, uploadSitePhoto } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const post = async (user: string, taskId: string, body: unknown, lang?: string) =>
  sys.http('POST', `/api/tasks/${taskId}/complete`, { token: await sys.login(user), body, ...(lang ? { headers: { 'accept-language': lang } } : {}) });
const auditCount = async (code: string) =>
  (await sys.sql`select count(*)::int as n from audit_log where patch_code = ${code} and action like 'verification.%'`)[0].n as number;
const taskStatus = async (id: string) => (await sys.sql`select status from tasks where id = ${id}`)[0].status as string;

describe('the evidence rule', () => {
  it('refuses an illegal determination without a photo with GPS: 422 naming determination.evidence, nothing recorded', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 5 });
    expect(task.context.rules.evidence).toEqual({ illegal: 1, legalWithoutApproval: 1 });
    const before = await auditCount(code);
    const body = determination('illegal', { totalMu: 5, farmlandMu: 0 });
    const bare = await post('xq.officer', task.id, body);
    expect(bare.status).toBe(422);
    expect(bare.body.code).toBe('RuleViolation');
    expect(Object.keys(bare.body.errors)).toEqual(['determination.evidence']);
    expect(bare.body.errors['determination.evidence']).toBe('本地区规定：判定为违法须上传至少 1 张带GPS位置的现场照片（现有 0 张）');
    expect(bare.body.issues).toEqual([expect.objectContaining({ path: 'determination.evidence', rule: 'evidence_required' })]);
    const english = await post('xq.officer', task.id, body, 'en');
    expect(english.body.errors['determination.evidence']).toContain('at least 1 on-site photo(s) with a GPS position');

    // A photo without GPS does not count: it cannot show where it was taken.
    const noGps = jpeg({ description: `${code}-no-gps` });
    const form = new FormData();
    form.append('patchCode', code);
    form.append('file', new Blob([new Uint8Array(noGps)], { type: 'image/jpeg' }), '无定位.jpg');
    const up = await fetch(`${sys.baseUrl}/api/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sys.login('xq.officer')}` },
      body: form,
    });
    const uploaded = await up.json();
    // Whatever GPS the client claims: the stored upload's is what counts.
    const claimed = await post('xq.officer', task.id, determination('illegal', {}, { evidence: [{ sha256: uploaded.sha256, kind: 'photo', gps: SITE }] }));
    expect(claimed.status).toBe(422);
    expect(claimed.body.errors['determination.evidence']).toContain('现有 0 张');

    expect(await taskStatus(task.id)).toBe('open');
    expect((await sys.temporal.workflow.getHandle(code).query(snapshotQuery)).stage).toBe('verification');
    expect(await auditCount(code)).toBe(before);

    const photo = await uploadSitePhoto(sys, 'xq.officer', code);
    const ok = await post('xq.officer', task.id, determination('illegal', {}, { evidence: [photo] }));
    expect(ok.status).toBe(200);
  });

  it('asks a photo of a legal determination without an approval document, not of one with it', async () => {
    const a = await issueAndWaitForTask(sys);
    const withoutApproval = determination('legal', {}, { subType: 'other_legal', approvals: [] });
    const refused = await post('xq.officer', a.task.id, withoutApproval);
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toEqual(['determination.evidence']);
    expect(refused.body.errors['determination.evidence']).toContain('判定为合法但无批准文件');
    const photo = await uploadSitePhoto(sys, 'xq.officer', a.code);
    expect((await post('xq.officer', a.task.id, { determination: { ...withoutApproval.determination, evidence: [photo] } })).status).toBe(200);

    const b = await issueAndWaitForTask(sys);
    expect((await post('xq.officer', b.task.id, determination('legal'))).status).toBe(200);
  });

  it('holds the correction to it too, but not the higher level determining directly', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 8, farmlandMu: 3 });
    await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 3 }));
    await completeAs(sys, 'yc.reviewer', (await openTaskOf(sys, code, 'review', 'yc.reviewer')).id, { decision: 'send_back', reason: '请核实' });
    const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');
    const illegal = { decision: 'submit', ...determination('illegal', { totalMu: 8, farmlandMu: 3 }) };
    const refused = await post('xq.officer', correction.id, illegal);
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toEqual(['determination.evidence']);
    await completeAs(sys, 'xq.officer', correction.id, { decision: 'decline', reason: '坚持原判定' });
    const direct = await openTaskOf(sys, code, 'direct_determination', 'yc.reviewer');
    const directly = await post('yc.reviewer', direct.id, { ...determination('illegal', { totalMu: 8, farmlandMu: 3 }), reason: '市级直接认定' });
    expect(directly.status).toBe(200);
  });

  it('is a region policy: a county that asks no photo of illegal patches files them without one', async () => {
    const admin = await sys.login('admin');
    const bad = await sys.http('PUT', '/api/regions/640104/policy', {
      token: admin,
      body: { note: '测试', overrides: { verification: { evidence: { illegal: -1, photos: 2 } } } },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(expect.arrayContaining(['overrides.verification.evidence.illegal']));
    const saved = await sys.http('PUT', '/api/regions/640104/policy', {
      token: admin,
      body: { note: '兴庆区：违法图斑不强制照片（测试）', overrides: { verification: { evidence: { illegal: 0 } } } },
    });
    expect(saved.status).toBe(200);
    const policy = await sys.http('GET', '/api/regions/640104/policy', { token: admin });
    expect(policy.body.effective.verification.evidence).toEqual({ illegal: 0, legalWithoutApproval: 1 });
    await eventually(
      async () => (await sys.http('GET', `/api/policy-broadcasts/${saved.body.broadcastWorkflowId}`, { token: admin })).body.status === 'COMPLETED',
    );

    const { task } = await issueAndWaitForTask(sys);
    expect(task.context.rules.evidence).toEqual({ illegal: 0, legalWithoutApproval: 1 });
    const res = await post('xq.officer', task.id, determination('illegal'));
    expect(res.status).toBe(200);
  });
});

describe('the review decision', () => {
  it('refuses a review without a decision: 422 naming decision, and the task stays open', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 8, farmlandMu: 3 });
    await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 3 }));
    const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    for (const body of [{}, { decision: null }, { reason: '只写了理由' }]) {
      const res = await post('yc.reviewer', review.id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['decision']);
    }
    expect(await taskStatus(review.id)).toBe('open');
  });
});
