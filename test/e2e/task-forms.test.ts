/**
 * One form per task type, in Chromium, against the running workflows of Ningxia (the city reviews
 * farmland patches, then the province; the province checks on site from 100 mu of farmland, 000):
 * each task is reached the way the workflow opens it — a review when the county files, a correction when
 * the city sends back, a direct determination when the county declines to correct, an on-site check for
 * an illegal patch over the threshold, an extension decision when the officer asks for one — and each
 * form shows what the task is about and submits, for each of its decisions, a payload that the API's own
 * zod schema for the type accepts and that the workflow takes (200, and the patch moves on). The
 * military report too. Screenshots in test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { completionSchemas } from '../../domain/schemas/tasks';
import type { TaskType } from '../../domain/types';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { completeTask, DESKTOP, field, openTask } from '../support/e2e';
import { jpeg } from '../support/evidence-files';
import { caseTaskOf, completeAs, decision, determination, issueAndWaitForTask, openTaskOf, patchRow, registration, SITE } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

/** Legal on 2 mu of farmland, with an approval: the city reviews it. */
const legalOnFarmland = () =>
  determination('legal', { totalMu: 6, farmlandMu: 2 }, { approvals: [{ type: 'land_approval', documentNumber: '宁政土批〔2026〕12号', date: '2026-03-01' }] });

/** A patch of Xingqing verified by its officer (over the API); its city review is open. */
async function underCityReview(body: ReturnType<typeof determination> = legalOnFarmland(), over: Record<string, unknown> = {}) {
  const { code, task } = await issueAndWaitForTask(sys, { areaMu: 6, farmlandMu: 2, ...over });
  await completeAs(sys, 'xq.officer', task.id, body);
  return { code, review: await openTaskOf(sys, code, 'review', 'yc.reviewer') };
}

/** A patch sent back by the city (over the API); its correction is open. */
async function sentBack(reason: string) {
  const { code, review } = await underCityReview();
  await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason });
  return { code, correction: await openTaskOf(sys, code, 'correction', 'xq.officer') };
}

/** Submits the form: the workflow takes it (200, back in the inbox), and the payload passes the API's schema of the type. */
async function submitAs(page: Page, type: TaskType): Promise<Record<string, unknown>> {
  const payload = await completeTask(page);
  const parsed = completionSchemas[type].safeParse(payload);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  return payload;
}

async function as(username: string): Promise<Page> {
  const page = await browser.newPage(DESKTOP);
  await loginAs(page, sys.baseUrl, username);
  return page;
}

describe('the task forms on running workflows', () => {
  it('review: shows the determination under review; send back with a reason, or pass', async () => {
    const { code, review } = await underCityReview();
    const page = await as('yc.reviewer');
    await openTask(page, sys.baseUrl, review.id, '内业审核');
    expect(await page.getByTestId('task-context').textContent()).toContain('宁政土批〔2026〕12号');
    // Only the review's own inputs: no determination fields.
    expect(await field(page, 'determination.legality').count()).toBe(0);
    await field(page, 'decision').getByLabel('退回修正').check();
    const reason = page.locator('.ra-input-reason textarea').first();
    await reason.fill('x');
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await field(page, 'reason').textContent()) ?? '').toMatch(/至少|2/);
    await reason.fill('批准文件与图斑范围不符');
    await screenshot(page, 'form-review');
    const back = await submitAs(page, 'review');
    expect(back).toEqual({ decision: 'send_back', reason: '批准文件与图斑范围不符' });
    await eventually(async () => (await patchRow(sys, code)).stage === 'correction');

    // The county corrects (over the API); the second review passes it on to the province.
    const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');
    await completeAs(sys, 'xq.officer', correction.id, { decision: 'submit', ...legalOnFarmland() });
    const again = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    await openTask(page, sys.baseUrl, again.id, '内业审核');
    await field(page, 'decision').getByLabel('审核通过').check();
    const pass = await submitAs(page, 'review');
    expect(pass).toEqual({ decision: 'pass' });
    await openTaskOf(sys, code, 'review', 'nx.reviewer');
    await page.close();
  });

  it('correction: starts from the determination sent back; submit it corrected, or decline with a reason', async () => {
    const page = await as('xq.officer');
    const a = await sentBack('请补充批准文件');
    await openTask(page, sys.baseUrl, a.correction.id, '退回修正');
    expect(await page.getByTestId('task-context').textContent()).toContain('请补充批准文件');
    const approvalInputs = await field(page, 'determination.approvals')
      .locator('input')
      .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(approvalInputs).toContain('宁政土批〔2026〕12号');
    await field(page, 'determination.notes').locator('textarea').first().fill('已补充');
    await screenshot(page, 'form-correction');
    const corrected = await submitAs(page, 'correction');
    expect(corrected).toMatchObject({ decision: 'submit', determination: { legality: 'legal', notes: '已补充' } });
    await openTaskOf(sys, a.code, 'review', 'yc.reviewer');

    const b = await sentBack('请核实耕地面积');
    await openTask(page, sys.baseUrl, b.correction.id, '退回修正');
    await field(page, 'decision').getByLabel('不予修正（说明理由）').check();
    await page.locator('.ra-input-reason textarea').first().fill('原判定无误');
    const declined = await submitAs(page, 'correction');
    expect(declined).toEqual({ decision: 'decline', reason: '原判定无误' });
    await openTaskOf(sys, b.code, 'direct_determination', 'yc.reviewer');
    await page.close();
  });

  it('direct determination (after the county declines): a determination and a reason', async () => {
    const { code, correction } = await sentBack('实地为新建厂房');
    await completeAs(sys, 'xq.officer', correction.id, { decision: 'decline', reason: '坚持原判定' });
    const direct = await openTaskOf(sys, code, 'direct_determination', 'yc.reviewer');
    const page = await as('yc.reviewer');
    await openTask(page, sys.baseUrl, direct.id, '直接认定');
    expect(await page.getByTestId('task-context').textContent()).toContain('坚持原判定');
    await field(page, 'determination.legality').getByLabel('违法').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: '未经批准占用' }).click();
    await field(page, 'determination.areas.farmlandMu').locator('input').fill('1.5');
    await field(page, 'determination.farmlandFlags.rural_housing').getByLabel('是').check();
    await page.locator('.ra-input-reason textarea').first().fill('县级逾期未修正');
    await screenshot(page, 'form-direct-determination');
    const sent = await submitAs(page, 'direct_determination');
    expect(sent).toMatchObject({
      determination: {
        legality: 'illegal',
        subType: 'occupied_without_approval',
        approvals: [],
        areas: { farmlandMu: 1.5 },
        farmlandFlags: { rural_housing: true },
      },
      reason: '县级逾期未修正',
    });
    await eventually(async () => (await patchRow(sys, code)).direct_determination === true);
    await page.close();
  });

  it('on-site check (illegal, 100 mu of farmland): confirm with notes, or overturn with a new determination and a reason', async () => {
    /** Verified illegal on 100 mu of farmland, passed by the city and the province: the province checks on site. */
    const onsite = async () => {
      const { code, review } = await underCityReview(determination('illegal', { totalMu: 120, farmlandMu: 100 }, { newStructures: true }), {
        areaMu: 120,
        farmlandMu: 100,
      });
      await completeAs(sys, 'yc.reviewer', review.id, { decision: 'pass' });
      await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
      return { code, task: await openTaskOf(sys, code, 'onsite_check', 'nx.reviewer') };
    };
    const page = await as('nx.reviewer');
    const a = await onsite();
    await openTask(page, sys.baseUrl, a.task.id, '实地核查');
    expect(await page.getByTestId('task-thresholds').textContent()).toContain('耕地 ≥ 100 亩');
    // Nothing is chosen for the checker: submitting without a decision sends nothing.
    expect(await field(page, 'decision').locator('input:checked').count()).toBe(0);
    await field(page, 'decision').getByLabel('确认原判定').check();
    await page.locator('.ra-input-notes textarea').first().fill('现场与判定一致');
    const confirm = await submitAs(page, 'onsite_check');
    expect(confirm).toEqual({ decision: 'confirm', notes: '现场与判定一致' });
    await eventually(async () => (await patchRow(sys, a.code)).stage === 'case');

    const b = await onsite();
    await openTask(page, sys.baseUrl, b.task.id, '实地核查');
    await field(page, 'decision').getByLabel('改判（填写新的判定）').check();
    await field(page, 'determination.legality').getByLabel('违法').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: '超出批准范围' }).click();
    await page.locator('.ra-input-reason textarea').first().fill('实地超出批准范围');
    await screenshot(page, 'form-onsite-check');
    const overturn = await submitAs(page, 'onsite_check');
    expect(overturn).toMatchObject({
      decision: 'overturn',
      determination: { legality: 'illegal', subType: 'beyond_approved_scope', approvals: [] },
      reason: '实地超出批准范围',
    });
    await eventually(async () => (await patchRow(sys, b.code)).onsite_checks?.[0]?.result === 'overturned');
    await page.close();
  });

  it("verification: whether there are new buildings or structures is asked, and required, where the province's on-site rule needs it (000 二(五))", async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 120, farmlandMu: 100 });
    const page = await as('xq.officer');
    await openTask(page, sys.baseUrl, task.id, '核查填报');
    await field(page, 'determination.legality').getByLabel('违法').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: '未经批准占用' }).click();
    await field(page, 'determination.areas.totalMu').locator('input').fill('120');
    await field(page, 'determination.areas.farmlandMu').locator('input').fill('100');
    await field(page, 'determination.farmlandFlags.rural_housing').getByLabel('否').check();
    const structures = field(page, 'determination.newStructures');
    expect(await structures.textContent()).toContain('本图斑达到上级实地核查标准，须回答此项');
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await structures.textContent()) ?? '').toContain('达到上级实地核查标准的图斑必须回答此项');
    await structures.getByLabel('是').check();
    // Illegal: the region's evidence rule asks a site photo with GPS.
    await page.setInputFiles('[data-testid="evidence-file-input"]', {
      name: '现场照片.jpg',
      mimeType: 'image/jpeg',
      buffer: jpeg({ ...SITE, dateTimeOriginal: '2026:11:20 10:20:30', description: code }),
    });
    await page.getByTestId('evidence-entry').waitFor({ timeout: 15_000 });
    await screenshot(page, 'form-verification-new-structures');
    const filed = await submitAs(page, 'verification');
    expect(filed).toMatchObject({ determination: { legality: 'illegal', areas: { totalMu: 120, farmlandMu: 100 }, newStructures: true } });
    await openTaskOf(sys, code, 'review', 'yc.reviewer');
    await page.close();
  });

  it("on-site check of a case's rectification result (图斑及其整改结果): confirm it, or send it back with a reason", async () => {
    // Illegal new buildings on 100 mu of farmland, checked on site by the province, then a case rectified by demolition.
    const { code, review } = await underCityReview(determination('illegal', { totalMu: 120, farmlandMu: 100 }, { newStructures: true }), {
      areaMu: 120,
      farmlandMu: 100,
    });
    await completeAs(sys, 'yc.reviewer', review.id, { decision: 'pass' });
    await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
    const checked = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, code, 'onsite_check', 'nx.reviewer')).id, { decision: 'confirm' });
    const caseNo = checked.caseNo as string;
    await completeAs(sys, 'xq.officer', (await caseTaskOf(sys, caseNo, 'case_register', 'xq.officer')).id, registration());
    await completeAs(sys, 'xq.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'xq.officer')).id, {
      documentNumber: '银停〔2026〕4号',
      issuedOn: '2026-11-18',
      stopped: true,
    });
    await completeAs(sys, 'xq.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'xq.officer')).id, decision());
    await completeAs(sys, 'xq.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'xq.officer')).id, {
      responsiblePerson: '马某',
      measures: '拆除复耕',
      plannedBy: '2026-12-31',
    });
    const report = { completedOn: '2026-12-01', rectifiedMu: 120 };
    await completeAs(sys, 'xq.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'xq.officer')).id, report);

    const page = await as('nx.reviewer');
    const first = await caseTaskOf(sys, caseNo, 'onsite_check', 'nx.reviewer');
    await openTask(page, sys.baseUrl, first.id, '实地核查');
    // No determination to overturn here: the result is as reported, or not.
    expect(await field(page, 'decision').getByLabel('改判（填写新的判定）').count()).toBe(0);
    await field(page, 'decision').getByLabel('整改不到位，退回整改').check();
    await page.locator('.ra-input-reason textarea').first().fill('现场仍有厂房未拆除');
    await screenshot(page, 'form-onsite-rectification');
    expect(await submitAs(page, 'onsite_check')).toEqual({ decision: 'reject', reason: '现场仍有厂房未拆除' });
    await completeAs(sys, 'xq.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'xq.officer')).id, report);

    const second = await caseTaskOf(sys, caseNo, 'onsite_check', 'nx.reviewer');
    await openTask(page, sys.baseUrl, second.id, '实地核查');
    await field(page, 'decision').getByLabel('整改结果属实').check();
    await page.locator('.ra-input-notes textarea').first().fill('已拆除复耕');
    expect(await submitAs(page, 'onsite_check')).toEqual({ decision: 'confirm', notes: '已拆除复耕' });
    await caseTaskOf(sys, caseNo, 'acceptance_county', 'xq.officer');
    await page.close();
  });

  it('extension decision (after a written request): approve with the new date, or reject with a reason', async () => {
    /** A verification due 25 December whose officer asks (over the API) for 15 January. */
    const requested = async (reason: string) => {
      const { code, task } = await issueAndWaitForTask(sys, { issuedAt: '2026-11-01T02:00:00Z' });
      const asked = await sys.http('POST', `/api/tasks/${task.id}/extension`, {
        token: await sys.login('xq.officer'),
        body: { reason, requestedDate: '2027-01-15' },
      });
      expect(asked.status).toBe(200);
      return { code, verification: task, decision: await openTaskOf(sys, code, 'extension_decision', 'yc.reviewer') };
    };
    const page = await as('yc.reviewer');
    const a = await requested('汛期无法进场核查');
    await openTask(page, sys.baseUrl, a.decision.id, '延期审批');
    expect(await page.getByTestId('task-context').textContent()).toContain('汛期无法进场核查');
    await screenshot(page, 'form-extension-decision');
    expect(await field(page, 'decision').locator('input:checked').count()).toBe(0);
    await field(page, 'decision').getByLabel('同意延期', { exact: true }).check();
    const approve = await submitAs(page, 'extension_decision');
    expect(approve).toEqual({ decision: 'approve', newDueDate: '2027-01-15' });
    await eventually(
      async () => new Date((await sys.sql`select due_at from tasks where id = ${a.verification.id}`)[0].due_at).toISOString() === '2027-01-15T15:59:59.999Z',
    );

    const b = await requested('人员不足申请延期');
    await openTask(page, sys.baseUrl, b.decision.id, '延期审批');
    await field(page, 'decision').getByLabel('不同意延期').check();
    await page.locator('.ra-input-reason textarea').first().fill('理由不充分');
    const reject = await submitAs(page, 'extension_decision');
    expect(reject).toEqual({ decision: 'reject', reason: '理由不充分' });
    await eventually(async () => (await sys.sql`select status from tasks where id = ${b.decision.id}`)[0].status === 'completed');
    expect(new Date((await sys.sql`select due_at from tasks where id = ${b.verification.id}`)[0].due_at).toISOString()).toBe('2026-12-25T15:59:59.999Z');
    await page.close();
  });

  it('military report: only the offline confirmation, end to end for a classified officer', async () => {
    const { task } = await issueAndWaitForTask(sys, { military: true }, { asUser: 'admin', taskType: 'military_report' });
    const page = await as('xq.secret');
    await openTask(page, sys.baseUrl, task.id, '军用土地机要上报');
    expect(await page.getByTestId('evidence-file-input').count()).toBe(0);
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await field(page, 'reportedOffline').textContent()) ?? '').toContain('请确认已线下报送');
    await field(page, 'reportedOffline').getByRole('switch').check();
    await page.locator('.ra-input-reference input').fill('机要-2026-001');
    await screenshot(page, 'form-military-report');
    const sent = await submitAs(page, 'military_report');
    expect(sent).toEqual({ reportedOffline: true, reference: '机要-2026-001' });
    await eventually(async () => (await sys.sql`select status from tasks where id = ${task.id}`)[0].status === 'completed');
    await page.close();
  });
});
