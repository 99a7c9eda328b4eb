/**
 * Direct determination (直接认定) counts in the statistics while it is the determination in force
 * ("上级自然资源部门可直接作出合法性判定并作为统计依据", 001 三(三); 003 四(二)). When the province sends a
 * directly determined result back, the county — the subject of the determination (001 三(一)) — answers,
 * and its answer replaces the direct determination: the mark is cleared and the patch no longer counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalDate } from '../domain/deadlines';
import { completeAs, determination, issueAndWaitForTask, openTaskOf, patchRow } from './support/fixtures';
import { recordHistory } from './support/histories';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const DAY = 24 * 3600_000;
const areas = { totalMu: 6, farmlandMu: 2 };

/** Ningxia (001): the county answers "other", the city sends it back, the county declines, the city determines directly. */
async function directlyDetermined() {
  const { code, task } = await issueAndWaitForTask(sys, { areaMu: 6, issuedAt: new Date(Date.now() - 3600_000).toISOString() });
  await completeAs(sys, 'xq.officer', task.id, determination('other', areas));
  await completeAs(sys, 'yc.reviewer', (await openTaskOf(sys, code, 'review', 'yc.reviewer')).id, { decision: 'send_back', reason: '实地为新建厂房' });
  await completeAs(sys, 'xq.officer', (await openTaskOf(sys, code, 'correction', 'xq.officer')).id, { decision: 'decline', reason: '坚持原判定' });
  const direct = await openTaskOf(sys, code, 'direct_determination', 'yc.reviewer');
  const snap = await completeAs(sys, 'yc.reviewer', direct.id, { ...determination('illegal', areas), reason: '县级拒不修改' });
  expect(snap).toMatchObject({ stage: 'review', directDetermination: true, determinedLevel: 'city' });
  return code;
}

async function statistics() {
  const from = formatLocalDate(Date.now() - 2 * DAY);
  const to = formatLocalDate(Date.now() + 2 * DAY);
  const res = await sys.http('GET', `/api/statistics?regionCode=640104&from=${from}&to=${to}`, { token: await sys.login('yc.supervisor') });
  expect(res.status).toBe(200);
  return res.body.figures;
}

describe('direct determinations in GET /api/statistics', () => {
  it('a directly determined patch counts once; one whose county answer replaced it after a send-back does not', async () => {
    const standing = await directlyDetermined();
    const final = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, standing, 'review', 'nx.reviewer')).id, { decision: 'pass' });
    expect(final).toMatchObject({ stage: 'case', directDetermination: true, determinedLevel: 'city' });

    const replaced = await directlyDetermined();
    const province = await openTaskOf(sys, replaced, 'review', 'nx.reviewer');
    await completeAs(sys, 'nx.reviewer', province.id, { decision: 'send_back', reason: '请县级核实耕地面积后重新填报' });
    const correction = await openTaskOf(sys, replaced, 'correction', 'xq.officer');
    expect(correction.context).toMatchObject({ level: 'province' });
    const corrected = await completeAs(sys, 'xq.officer', correction.id, { decision: 'submit', ...determination('illegal', { totalMu: 6, farmlandMu: 3 }) });
    expect(corrected).toMatchObject({ stage: 'review', directDetermination: false, determinedLevel: 'county' });
    expect(await patchRow(sys, replaced)).toMatchObject({ direct_determination: false, determined_level: 'county' });
    const closed = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, replaced, 'review', 'nx.reviewer')).id, { decision: 'pass' });
    expect(closed).toMatchObject({ stage: 'case', directDetermination: false });
    await recordHistory(sys, replaced, 'direct-determination-replaced');

    const f = await statistics();
    expect(f).toMatchObject({ issued: 2, directDeterminations: 1 });
    expect(f.illegal.count).toBe(2);
  });
});
