/**
 * One form per task type, in Chromium. The workflow does not open correction, review, direct
 * determination, on-site check or extension tasks yet, so this file writes such task rows into the read
 * model itself (as the workflow's activity will) and checks that each form renders, shows what the task
 * is about, and submits — for each of its decisions — a payload that the API's own zod schema for that
 * type accepts (checked here on the captured request, and by the API answering something other than 422).
 * The military report goes end to end.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionSchemas } from '../../domain/schemas/tasks';
import type { TaskType } from '../../domain/types';
import { buildAdminUiIfStale } from '../../scripts/build-ui';
import { launchBrowser, loginAs, screenshot } from '../support/browser';
import { issueAndWaitForTask, legalDetermination } from '../support/fixtures';
import { eventually, startTestSystem, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
let patchCode: string;
beforeAll(async () => {
  await buildAdminUiIfStale();
  sys = await startTestSystem({ ui: true });
  browser = await launchBrowser();
  patchCode = (await issueAndWaitForTask(sys)).code;
});
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
let seq = 100;

/** A task row as the workflow's openTask activity writes it. */
async function fakeTask(type: TaskType, role: string, regionCode: string, context: object | null) {
  const id = `${patchCode}:${seq++}`;
  await sys.sql`
    insert into tasks (id, workflow_id, patch_code, type, region_code, role, status, event_at, due_at, context)
    values (${id}, ${patchCode}, ${patchCode}, ${type}, ${regionCode}, ${role}, 'open', now(), now() + interval '10 days', ${context ? JSON.stringify(context) : null}::jsonb)`;
  return id;
}

const field = (page: Page, source: string) => page.locator(`.ra-input-${source.replace(/\./g, '\\.')}`);

async function openTask(page: Page, id: string, heading: string) {
  await page.goto(`${sys.baseUrl}/#/tasks/${encodeURIComponent(id)}/show`);
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
  await page.getByRole('button', { name: '提交' }).waitFor();
}

/** Submits the form and returns what the browser sent and what the API answered. */
async function submit(page: Page): Promise<{ payload: Record<string, unknown>; status: number }> {
  const sent = page.waitForRequest((r: Request) => r.method() === 'POST' && r.url().endsWith('/complete'));
  await page.getByRole('button', { name: '提交' }).click();
  const request = await sent;
  const response = await request.response();
  return { payload: request.postDataJSON(), status: response?.status() ?? 0 };
}

function expectAccepted(type: TaskType, sent: { payload: Record<string, unknown>; status: number }) {
  const parsed = completionSchemas[type].safeParse(sent.payload);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  // 422 would be the API's zod (or a rule) refusing it; these tasks are unknown to the workflow, hence 404.
  expect(sent.status).not.toBe(422);
}

describe('the task forms', () => {
  it('review: shows the determination under review; send back with a reason, or pass', async () => {
    const id = await fakeTask('review', 'reviewer', '640100', { level: 'city', determination: legalDetermination.determination });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'yc.reviewer');
    await openTask(page, id, '内业审核');
    expect(await page.getByTestId('task-context').textContent()).toContain('宁政土批〔2026〕12号');
    // Only the review's own inputs: no determination fields.
    expect(await field(page, 'determination.legality').count()).toBe(0);
    await field(page, 'decision').getByLabel('退回修正').check();
    const tooShort = page.locator('.ra-input-reason textarea').first();
    await tooShort.fill('x');
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await field(page, 'reason').textContent()) ?? '').toMatch(/至少|2/);
    await tooShort.fill('批准文件与图斑范围不符');
    const back = await submit(page);
    expect(back.payload).toEqual({ decision: 'send_back', reason: '批准文件与图斑范围不符' });
    expectAccepted('review', back);
    await screenshot(page, 'form-review');
    await field(page, 'decision').getByLabel('审核通过').check();
    const pass = await submit(page);
    expect(pass.payload).toEqual({ decision: 'pass' });
    expectAccepted('review', pass);
    await page.close();
  });

  it('correction: starts from the determination sent back; submit it corrected, or decline with a reason', async () => {
    const id = await fakeTask('correction', 'officer', '640104', { reason: '请补充批准文件', determination: legalDetermination.determination });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await openTask(page, id, '退回修正');
    expect(await page.getByTestId('task-context').textContent()).toContain('请补充批准文件');
    const approvalInputs = await field(page, 'determination.approvals').locator('input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(approvalInputs).toContain('宁政土批〔2026〕12号');
    await field(page, 'determination.notes').locator('textarea').first().fill('已补充');
    const corrected = await submit(page);
    expect(corrected.payload).toMatchObject({ decision: 'submit', determination: { legality: 'legal', notes: '已补充' } });
    expectAccepted('correction', corrected);
    await screenshot(page, 'form-correction');
    await field(page, 'decision').getByLabel('不予修正（说明理由）').check();
    await page.locator('.ra-input-reason textarea').first().fill('原判定无误');
    const declined = await submit(page);
    expect(declined.payload).toEqual({ decision: 'decline', reason: '原判定无误' });
    expectAccepted('correction', declined);
    await page.close();
  });

  it('direct determination: a determination and a reason', async () => {
    const id = await fakeTask('direct_determination', 'reviewer', '640100', null);
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'yc.reviewer');
    await openTask(page, id, '直接认定');
    await field(page, 'determination.legality').getByLabel('违法').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: '未经批准占用' }).click();
    await field(page, 'determination.areas.farmlandMu').locator('input').fill('1.5');
    await field(page, 'determination.farmlandFlags.rural_housing').getByLabel('是').check();
    await page.locator('.ra-input-reason textarea').first().fill('县级逾期未修正');
    const sent = await submit(page);
    expect(sent.payload).toMatchObject({
      determination: { legality: 'illegal', subType: 'occupied_without_approval', approvals: [], areas: { farmlandMu: 1.5 }, farmlandFlags: { rural_housing: true } },
      reason: '县级逾期未修正',
    });
    expectAccepted('direct_determination', sent);
    await screenshot(page, 'form-direct-determination');
    await page.close();
  });

  it('on-site check: confirm with notes, or overturn with a new determination and a reason', async () => {
    const id = await fakeTask('onsite_check', 'reviewer', '640100', { determination: legalDetermination.determination });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'yc.reviewer');
    await openTask(page, id, '实地核查');
    await page.locator('.ra-input-notes textarea').first().fill('现场与判定一致');
    const confirm = await submit(page);
    expect(confirm.payload).toEqual({ decision: 'confirm', notes: '现场与判定一致' });
    expectAccepted('onsite_check', confirm);
    await field(page, 'decision').getByLabel('改判（填写新的判定）').check();
    await field(page, 'determination.legality').getByLabel('违法').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: '超出批准范围' }).click();
    await page.locator('.ra-input-reason textarea').first().fill('实地超出批准范围');
    const overturn = await submit(page);
    expect(overturn.payload).toMatchObject({ decision: 'overturn', determination: { legality: 'illegal', approvals: [] }, reason: '实地超出批准范围' });
    expectAccepted('onsite_check', overturn);
    await screenshot(page, 'form-onsite-check');
    await page.close();
  });

  it('extension decision: approve with the new date, or reject with a reason', async () => {
    const id = await fakeTask('extension_decision', 'reviewer', '640100', { requestedDate: '2027-01-15', reason: '汛期无法进场' });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'yc.reviewer');
    await openTask(page, id, '延期审批');
    expect(await page.getByTestId('task-context').textContent()).toContain('汛期无法进场');
    const approve = await submit(page);
    expect(approve.payload).toEqual({ decision: 'approve', newDueDate: '2027-01-15' });
    expectAccepted('extension_decision', approve);
    await field(page, 'decision').getByLabel('不同意延期').check();
    await page.locator('.ra-input-reason textarea').first().fill('理由不充分');
    const reject = await submit(page);
    expect(reject.payload).toEqual({ decision: 'reject', reason: '理由不充分' });
    expectAccepted('extension_decision', reject);
    await screenshot(page, 'form-extension-decision');
    await page.close();
  });

  it('military report: only the offline confirmation, end to end for a classified officer', async () => {
    const { task } = await issueAndWaitForTask(sys, { military: true }, { asUser: 'admin', taskType: 'military_report' });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.secret');
    await openTask(page, task.id, '军用土地机要上报');
    expect(await page.getByTestId('evidence-file-input').count()).toBe(0);
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await field(page, 'reportedOffline').textContent()) ?? '').toContain('请确认已线下报送');
    await field(page, 'reportedOffline').getByRole('switch').check();
    await page.locator('.ra-input-reference input').fill('机要-2026-001');
    await screenshot(page, 'form-military-report');
    const sent = await submit(page);
    expect(sent.payload).toEqual({ reportedOffline: true, reference: '机要-2026-001' });
    expectAccepted('military_report', sent);
    expect(sent.status).toBe(200);
    await eventually(async () => (await sys.sql`select status from tasks where id = ${task.id}`)[0].status === 'completed');
    await page.close();
  });
});
