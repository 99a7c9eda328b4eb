/**
 * The patch lifecycle of docs/domain.md §2–5 against the real servers, with each region's rules from its
 * notice: review chains and coverage, send-back and correction, direct determination, on-site checks,
 * category and farmland rules, extension requests, and the hand-over of illegal patches to a case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDraw } from '../domain/sampling';
import { caseStatusSignal, snapshotQuery } from '../workflows/messages';
import { completeAs, determination, issueAndWaitForTask, openTaskOf, patchRow, withSitePhoto } from './support/fixtures';
import { recordHistory } from './support/histories';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const audit = async (code: string) => (await sys.sql`select action from audit_log where patch_code = ${code} order by id`).map((r) => r.action as string);

describe('Ningxia (001): the city reviews all farmland patches, the province reviews all', () => {
  it('a legal patch without farmland skips the city and goes to the province, then closes', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const snap = await completeAs(sys, 'xq.officer', task.id, determination('legal'));
    expect(snap.stage).toBe('review');
    expect(snap.openTasks).toMatchObject([{ type: 'review', regionCode: '640000', role: 'reviewer' }]);
    const draws = (await patchRow(sys, code)).review_draws;
    expect(draws.city).toMatchObject({ selected: false, reason: 'sample', rate: 0 });
    expect(draws.province).toMatchObject({ selected: true, reason: 'all' });
    const review = await openTaskOf(sys, code, 'review', 'nx.reviewer');
    // The city reviewer may not act on the province's review.
    expect((await sys.http('POST', `/api/tasks/${review.id}/complete`, { token: await sys.login('yc.reviewer'), body: { decision: 'pass' } })).status).toBe(
      403,
    );
    const done = await completeAs(sys, 'nx.reviewer', review.id, { decision: 'pass' });
    expect(done).toMatchObject({ stage: 'closed', legality: 'legal', openTasks: [] });
    await recordHistory(sys, code, 'happy-path');
    await recordHistory(sys, code, 'happy-path-local-activities');
    expect(await sys.temporal.workflow.getHandle(code).result()).toMatchObject({ stage: 'closed' });
    expect((await patchRow(sys, code)).closed_at).not.toBeNull();
  });

  it('send-back loop: the city sends back twice, the county corrects, the final illegal determination requests a case', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { category: 'new_non_agricultural_construction', areaMu: 8 });
    await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 3 }));
    for (let round = 1; round <= 2; round++) {
      const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
      expect(review.regionCode).toBe('640100');
      expect(review.context.coverage).toMatchObject({ level: 'city', reason: 'farmland', selected: true });
      const sent = await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason: `第${round}次：批准文件与图斑位置不符` });
      expect(sent).toMatchObject({ stage: 'correction', sendBacks: round });
      const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');
      expect(correction.context).toMatchObject({ level: 'city', reason: `第${round}次：批准文件与图斑位置不符` });
      expect(correction.context.rules.farmlandFlags).toEqual(['rural_housing']);
      const body =
        round === 1
          ? determination('legal', { totalMu: 8, farmlandMu: 3 })
          : { decision: 'submit', ...determination('illegal', { totalMu: 8, farmlandMu: 3 }) };
      await completeAs(sys, 'xq.officer', correction.id, round === 1 ? { decision: 'submit', ...body } : body);
    }
    const city = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    await completeAs(sys, 'yc.reviewer', city.id, { decision: 'pass' });
    const province = await openTaskOf(sys, code, 'review', 'nx.reviewer');
    const final = await completeAs(sys, 'nx.reviewer', province.id, { decision: 'pass' });
    expect(final).toMatchObject({ stage: 'case', legality: 'illegal', sendBacks: 2, concealed: true, determinedLevel: 'county' });
    // Case numbers run per county and year: AJ<county><year><sequence>.
    expect(final.caseNo).toMatch(/^AJ640104\d{4}\d{4}$/);
    const row = await patchRow(sys, code);
    expect(row).toMatchObject({ stage: 'case', county_legality: 'legal', concealed: true, send_back_count: 2, case_no: final.caseNo });
    const [link] = await sys.sql`select case_no from case_patches where patch_code = ${code}`;
    expect(link.case_no).toBe(final.caseNo);
    await recordHistory(sys, code, 'send-back-loop');
    // The patch stays open until its case reports back.
    const handle = sys.temporal.workflow.getHandle(code);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.signal(caseStatusSignal, { caseNo: final.caseNo, status: 'struck_off', closed: true });
    expect(await handle.result()).toMatchObject({ stage: 'closed' });
    expect((await patchRow(sys, code)).stage).toBe('closed');
  });

  it('a declined correction goes to the reviewer for direct determination, marked as such', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 6 });
    await completeAs(sys, 'xq.officer', task.id, determination('other', { totalMu: 6, farmlandMu: 2 }));
    const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason: '实地为新建厂房，不属于未变化' });
    const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');
    const declined = await completeAs(sys, 'xq.officer', correction.id, { decision: 'decline', reason: '坚持原判定' });
    expect(declined.stage).toBe('direct_determination');
    const direct = await openTaskOf(sys, code, 'direct_determination', 'yc.reviewer');
    expect(direct.context).toMatchObject({ level: 'city', why: 'declined', reason: '坚持原判定' });
    const after = await completeAs(sys, 'yc.reviewer', direct.id, { ...determination('illegal', { totalMu: 6, farmlandMu: 2 }), reason: '县级拒不修改' });
    expect(after).toMatchObject({ stage: 'review', directDetermination: true, determinedLevel: 'city' });
    const province = await openTaskOf(sys, code, 'review', 'nx.reviewer');
    const final = await completeAs(sys, 'nx.reviewer', province.id, { decision: 'pass' });
    expect(final).toMatchObject({ stage: 'case', legality: 'illegal', directDetermination: true, concealed: true });
    expect(await patchRow(sys, code)).toMatchObject({ direct_determination: true, determined_level: 'city', legality: 'illegal' });
    await recordHistory(sys, code, 'direct-determination');
  });

  it('"other" is refused for new non-agricultural construction, with the rule in words an officer understands', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { category: 'new_non_agricultural_construction' });
    const res = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: await sys.login('xq.officer'), body: determination('other') });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'RuleViolation' });
    expect(res.body.errors['determination.legality']).toContain('不得判定为其他类用地');
    expect(res.body.issues[0].rule).toBe('other_forbidden');
    expect((await sys.temporal.workflow.getHandle(code).query(snapshotQuery)).stage).toBe('verification');
  });

  it('"other" is refused for 年度内持续变化类 too, and the message names that category', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { category: 'continuous_change' });
    const res = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: await sys.login('xq.officer'), body: determination('other') });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([expect.objectContaining({ path: 'determination.legality', rule: 'other_forbidden' })]);
    expect(res.body.errors['determination.legality']).toBe('本地区规定："年度内持续变化类"图斑一般不得判定为其他类用地，请判定为合法或违法');
    expect((await sys.temporal.workflow.getHandle(code).query(snapshotQuery)).stage).toBe('verification');
    // Legal or illegal is accepted.
    expect((await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: await sys.login('xq.officer'), body: determination('legal') })).status).toBe(200);
  });

  it('illegal patches of new buildings or structures on 100 mu or more of farmland are checked on site by the province (000), inclusive at 100', async () => {
    const big = await issueAndWaitForTask(sys, { areaMu: 120 });
    // 新增建（构）筑物 (000 二(五)): required of a patch the rule would otherwise meet.
    const unanswered = await sys.http('POST', `/api/tasks/${big.task.id}/complete`, {
      token: await sys.login('xq.officer'),
      body: determination('illegal', { totalMu: 120, farmlandMu: 100 }),
    });
    expect(unanswered.status).toBe(422);
    // (the evidence rule also answers: the photo is added by completeAs below)
    expect(unanswered.body.issues).toContainEqual(expect.objectContaining({ path: 'determination.newStructures', rule: 'new_structures_required' }));
    await completeAs(sys, 'xq.officer', big.task.id, determination('illegal', { totalMu: 120, farmlandMu: 100 }, { newStructures: true }));
    await completeAs(sys, 'yc.reviewer', (await openTaskOf(sys, big.code, 'review', 'yc.reviewer')).id, { decision: 'pass' });
    const snap = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, big.code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
    expect(snap).toMatchObject({ stage: 'onsite_check', openTasks: [{ type: 'onsite_check', regionCode: '640000' }] });
    const onsite = await openTaskOf(sys, big.code, 'onsite_check', 'nx.reviewer');
    expect(onsite.context.thresholds).toEqual([{ metric: 'farmlandMu', minMu: 100, legalities: ['illegal'], newStructures: true }]);
    expect((await completeAs(sys, 'nx.reviewer', onsite.id, { decision: 'confirm', notes: '现场核实无误' })).stage).toBe('case');

    const small = await issueAndWaitForTask(sys, { areaMu: 120 });
    await completeAs(sys, 'xq.officer', small.task.id, determination('illegal', { totalMu: 120, farmlandMu: 99.99 }));
    await completeAs(sys, 'yc.reviewer', (await openTaskOf(sys, small.code, 'review', 'yc.reviewer')).id, { decision: 'pass' });
    const done = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, small.code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
    expect(done.stage).toBe('case');

    // No new buildings or structures: no on-site check, however much farmland.
    const bare = await issueAndWaitForTask(sys, { areaMu: 150 });
    await completeAs(sys, 'xq.officer', bare.task.id, determination('illegal', { totalMu: 150, farmlandMu: 140 }, { newStructures: false }));
    await completeAs(sys, 'yc.reviewer', (await openTaskOf(sys, bare.code, 'review', 'yc.reviewer')).id, { decision: 'pass' });
    expect((await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, bare.code, 'review', 'nx.reviewer')).id, { decision: 'pass' })).stage).toBe('case');
  });
});

describe('Liaocheng (003): one filled, one reviewed; city on-site checks at its own thresholds; six farmland answers', () => {
  it('requires the six farmland answers of an illegal farmland patch', async () => {
    const { task } = await issueAndWaitForTask(sys, { countyCode: '371502' });
    const body = determination('illegal', { farmlandMu: 3 });
    delete (body.determination.farmlandFlags as Record<string, boolean>).greenhouse_house;
    // With the site photo the evidence rule asks for: the farmland answer is the one missing.
    const withPhoto = await withSitePhoto(sys, 'dcf.officer', task.id, body);
    const res = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: await sys.login('dcf.officer'), body: withPhoto });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['determination.farmlandFlags.greenhouse_house']);
    expect(res.body.errors['determination.farmlandFlags.greenhouse_house']).toContain('是否大棚房');
    // "Other" is allowed in Liaocheng for this category: the rule is Ningxia's.
    const ok = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: await sys.login('dcf.officer'), body: determination('other') });
    expect(ok.status).toBe(200);
  });

  it('the city checks on site from 20 mu of farmland, inclusive, and can overturn the determination', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '371502', areaMu: 30 });
    await completeAs(sys, 'dcf.officer', task.id, determination('illegal', { totalMu: 30, farmlandMu: 20 }));
    await completeAs(sys, 'lc.reviewer', (await openTaskOf(sys, code, 'review', 'lc.reviewer')).id, { decision: 'pass' });
    const snap = await completeAs(sys, 'sd.reviewer', (await openTaskOf(sys, code, 'review', 'sd.reviewer')).id, { decision: 'pass' });
    expect(snap.openTasks).toMatchObject([{ type: 'onsite_check', regionCode: '371500' }]);
    const onsite = await openTaskOf(sys, code, 'onsite_check', 'lc.reviewer');
    expect(onsite.context.thresholds).toEqual([{ metric: 'farmlandMu', minMu: 20, legalities: ['illegal'] }]);
    const overturned = await completeAs(sys, 'lc.reviewer', onsite.id, {
      decision: 'overturn',
      reason: '现场核实已取得设施农业用地备案',
      ...determination(
        'legal',
        { totalMu: 30, farmlandMu: 20 },
        { subType: 'facility_agriculture', approvals: [{ type: 'facility_agriculture', documentNumber: '东设农备〔2026〕3号', date: '2026-02-01' }] },
      ),
    });
    // Facility agriculture is re-checked on Liaocheng's cycle (003 四(六)) before the patch closes.
    expect(overturned).toMatchObject({ stage: 'recheck', legality: 'legal', determinedLevel: 'city' });
    expect((await patchRow(sys, code)).onsite_checks).toEqual([{ level: 'city', result: 'overturned', from: 'illegal', to: 'legal' }]);
    await recordHistory(sys, code, 'onsite-overturn');
  });

  it('patches filed as facility agriculture on 10 mu or more of farmland are checked on site whatever their legality and issued category (003 四(一))', async () => {
    const approvals = [{ type: 'facility_agriculture', documentNumber: '备〔2026〕9号', date: '2026-03-01' }];
    // Issued as new non-agricultural construction, filed as facility agriculture on 12 mu of farmland.
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '371502', category: 'new_non_agricultural_construction', areaMu: 12 });
    await completeAs(sys, 'dcf.officer', task.id, determination('legal', { totalMu: 12, farmlandMu: 12 }, { subType: 'facility_agriculture', approvals }));
    await completeAs(sys, 'lc.reviewer', (await openTaskOf(sys, code, 'review', 'lc.reviewer')).id, { decision: 'pass' });
    const snap = await completeAs(sys, 'sd.reviewer', (await openTaskOf(sys, code, 'review', 'sd.reviewer')).id, { decision: 'pass' });
    expect(snap.openTasks[0]).toMatchObject({ type: 'onsite_check', regionCode: '371500' });
    // A large total with under 10 mu of farmland: no check (the 10 mu is farmland occupied).
    const large = await issueAndWaitForTask(sys, { countyCode: '371502', category: 'facility_agriculture', areaMu: 60 });
    await completeAs(sys, 'dcf.officer', large.task.id, determination('legal', { totalMu: 60, farmlandMu: 9 }, { subType: 'facility_agriculture', approvals }));
    await completeAs(sys, 'lc.reviewer', (await openTaskOf(sys, large.code, 'review', 'lc.reviewer')).id, { decision: 'pass' });
    const passed = await completeAs(sys, 'sd.reviewer', (await openTaskOf(sys, large.code, 'review', 'sd.reviewer')).id, { decision: 'pass' });
    expect(passed.openTasks.map((t: { type: string }) => t.type)).not.toContain('onsite_check');
  });
});

describe('Guangdong (002): the province samples 30% of each legality class, reproducibly', () => {
  /** Patch codes whose recorded draw falls below / above 30%. */
  function codeWithDraw(below: boolean): string {
    for (;;) {
      const code = sys.unique('GD');
      if (sampleDraw('wpzf', code, 'province') < 0.3 === below) return code;
    }
  }

  it('draws, records and follows the draw: selected below the share, not selected above it', async () => {
    for (const below of [true, false]) {
      const code = codeWithDraw(below);
      const { task } = await issueAndWaitForTask(sys, { code, countyCode: '440703' });
      await completeAs(sys, 'pj.officer', task.id, determination('legal'));
      const city = await openTaskOf(sys, code, 'review', 'jm.reviewer');
      const snap = await completeAs(sys, 'jm.reviewer', city.id, { decision: 'pass' });
      const recorded = (await patchRow(sys, code)).review_draws.province;
      expect(recorded).toMatchObject({ level: 'province', reason: 'sample', rate: 0.3, selected: below, seed: 'wpzf' });
      expect(recorded.draw).toBe(sampleDraw('wpzf', code, 'province'));
      expect(snap.stage).toBe(below ? 'review' : 'closed');
      expect((await audit(code)).filter((a) => a === 'review.coverage')).toHaveLength(2);
    }
  });

  it('the share is close to 30% over many codes', () => {
    const n = 20_000;
    let selected = 0;
    for (let i = 0; i < n; i++) if (sampleDraw('wpzf', `44070320261${String(i).padStart(6, '0')}`, 'province') < 0.3) selected++;
    expect(selected / n).toBeGreaterThan(0.29);
    expect(selected / n).toBeLessThan(0.31);
  });
});

describe('extension requests (written, decided by the level above)', () => {
  it('an officer asks, the city reviewer approves a later date, and the task is due then', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { issuedAt: '2026-11-10T02:00:00Z' });
    const officer = await sys.login('xq.officer');
    const tooShort = await sys.http('POST', `/api/tasks/${task.id}/extension`, { token: officer, body: { reason: '忙' } });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.errors.reason).toBeTruthy();
    const asked = await sys.http('POST', `/api/tasks/${task.id}/extension`, {
      token: officer,
      body: { reason: '现场积水无法进入核查', requestedDate: '2027-01-10' },
    });
    expect(asked.status).toBe(200);
    expect(asked.body.openTasks.map((t: { type: string }) => t.type).sort()).toEqual(['extension_decision', 'verification']);
    const again = await sys.http('POST', `/api/tasks/${task.id}/extension`, { token: officer, body: { reason: '再次申请延期' } });
    expect(again.status).toBe(409);
    const decision = await openTaskOf(sys, code, 'extension_decision', 'yc.reviewer');
    expect(decision).toMatchObject({ regionCode: '640100', role: 'reviewer' });
    expect(decision.context).toMatchObject({
      targetTaskId: task.id,
      reason: '现场积水无法进入核查',
      requestedDate: '2027-01-10',
      currentDueAt: '2026-12-25T15:59:59.999Z',
    });
    const earlier = await sys.http('POST', `/api/tasks/${decision.id}/complete`, {
      token: await sys.login('yc.reviewer'),
      body: { decision: 'approve', newDueDate: '2026-12-20' },
    });
    expect(earlier.status).toBe(422);
    expect(earlier.body.errors.newDueDate).toContain('须晚于现截止日期');
    const approved = await completeAs(sys, 'yc.reviewer', decision.id, { decision: 'approve', newDueDate: '2027-01-10', reason: '同意' });
    expect(approved.openTasks).toEqual([expect.objectContaining({ taskId: task.id, dueAt: '2027-01-10T15:59:59.999Z' })]);
    const [row] = await sys.sql`select due_at, extended from tasks where id = ${task.id}`;
    expect(new Date(row.due_at).toISOString()).toBe('2027-01-10T15:59:59.999Z');
    expect(row.extended).toBe(true);
  });

  it('a rejected request leaves the deadline alone', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { issuedAt: '2026-11-10T02:00:00Z' });
    await sys.http('POST', `/api/tasks/${task.id}/extension`, { token: await sys.login('xq.officer'), body: { reason: '人员不足，申请延期' } });
    const decision = await openTaskOf(sys, code, 'extension_decision', 'yc.reviewer');
    const snap = await completeAs(sys, 'yc.reviewer', decision.id, { decision: 'reject', reason: '理由不充分' });
    expect(snap.openTasks).toEqual([expect.objectContaining({ taskId: task.id, dueAt: '2026-12-25T15:59:59.999Z' })]);
  });
});
