/**
 * Closing the loop between the county and the reviewing level (issue 12): a send-back (退回) tells the
 * officer who filed the determination, with the reason; the corrected answer (重新上报) tells the reviewer
 * who sent it back; every completion's answer names what happens next, with the region's name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const noticesOf = async (user: string, code: string) => {
  const res = await sys.http('GET', '/api/notifications?range=[0,99]', { token: await sys.login(user) });
  expect(res.status).toBe(200);
  return (
    res.body as Array<{ kind: string; patchCode: string; title: string; body: string; params: Record<string, unknown>; taskId: string; userId: number | null }>
  ).filter((n) => n.patchCode === code);
};

describe('send back and resubmit in Ningxia (001: the city reviews every farmland patch)', () => {
  it('notifies the officer of the send-back and the reviewer of the resubmission, and names the next step', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 8 });
    const verified = await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 3 }));
    // What happens next, from the workflow's answer: the city's desk review.
    expect(verified.next).toEqual([expect.objectContaining({ type: 'review', regionCode: '640100', regionName: '银川市' })]);
    expect(await noticesOf('xq.officer', code)).toEqual([]);

    const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    const reason = '批准文件与图斑位置不符，请核实';
    const sent = await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason });
    expect(sent.next).toEqual([expect.objectContaining({ type: 'correction', regionCode: '640104', regionName: '兴庆区' })]);
    const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');

    // The officer who filed it is told, by name, with the reason and who sent it back.
    const [sentBack] = await eventually(async () => {
      const found = (await noticesOf('xq.officer', code)).filter((n) => n.kind === 'sent_back');
      return found.length ? found : undefined;
    });
    expect(sentBack).toMatchObject({
      taskId: correction.id,
      title: `审核退回：银川市退回了图斑 ${code}，请修正后重新上报`,
      params: { taskType: 'correction', patchCode: code, regionCode: '640100', regionName: '银川市', reason, by: '银川市审核员' },
    });
    expect(sentBack.body).toContain(`退回理由：${reason}`);
    expect(sentBack.body).toContain('退回人 银川市审核员');
    const [officer] = await sys.sql`select id from users where username = 'xq.officer'`;
    expect(sentBack.userId).toBe(officer.id);
    // Addressed to that officer, not to every officer of the county.
    expect(await noticesOf('xq.secret', code)).toEqual([]);
    // The reviewer has nothing yet.
    expect((await noticesOf('yc.reviewer', code)).filter((n) => n.kind === 'resubmitted')).toEqual([]);

    // The officer corrects: the reviewer who sent it back is told, and the answer names the city's review.
    const corrected = await completeAs(sys, 'xq.officer', correction.id, { decision: 'submit', ...determination('legal', { totalMu: 8, farmlandMu: 2.5 }) });
    expect(corrected.next).toEqual([expect.objectContaining({ type: 'review', regionCode: '640100', regionName: '银川市' })]);
    const again = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    const [resubmitted] = await eventually(async () => {
      const found = (await noticesOf('yc.reviewer', code)).filter((n) => n.kind === 'resubmitted');
      return found.length ? found : undefined;
    });
    expect(resubmitted).toMatchObject({
      taskId: again.id,
      title: `重新上报：兴庆区已修正图斑 ${code}，请审核`,
      params: { taskType: 'review', patchCode: code, regionCode: '640104', regionName: '兴庆区', by: '兴庆区核查员' },
    });
    const [reviewer] = await sys.sql`select id from users where username = 'yc.reviewer'`;
    expect(resubmitted.userId).toBe(reviewer.id);
    // The province reviewer is not told of the city's loop.
    expect(await noticesOf('nx.reviewer', code)).toEqual([]);

    // Once each.
    const rows = await sys.sql`select kind, count(*)::int as n from notifications where patch_code = ${code} group by kind order by kind`;
    expect(rows).toEqual([
      { kind: 'resubmitted', n: 1 },
      { kind: 'sent_back', n: 1 },
    ]);

    // Passed on to the province: its review is next; the first review opened has no resubmission notice.
    const passed = await completeAs(sys, 'yc.reviewer', again.id, { decision: 'pass' });
    expect(passed.next).toEqual([expect.objectContaining({ type: 'review', regionCode: '640000', regionName: '宁夏回族自治区' })]);
    const done = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
    expect(done).toMatchObject({ stage: 'closed', next: [] });
  });

  it('without its officer, the send-back goes to the county officers', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 8 });
    await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 3 }));
    await sys.sql`update users set active = false where username = 'xq.officer'`;
    try {
      const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
      await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason: '请补充举证' });
      const [notice] = await eventually(async () => {
        const rows = await sys.sql`select user_id, region_code, role from notifications where patch_code = ${code} and kind = 'sent_back'`;
        return rows.length ? rows : undefined;
      });
      expect(notice).toEqual({ user_id: null, region_code: '640104', role: 'officer' });
      expect((await noticesOf('xq.secret', code)).map((n) => n.kind)).toEqual(['sent_back']);
    } finally {
      await sys.sql`update users set active = true where username = 'xq.officer'`;
    }
  });
});
