/**
 * The inbox in a real browser: the demo officer logs in and sees the region's tasks, soonest due first,
 * overdue and near-due marked; the stage, batch and due-before filters.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { DESKTOP } from '../support/e2e';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from '../support/fixtures';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

describe("the officer's inbox", () => {
  it('logs in and lists the open tasks of the county, overdue ones marked', async () => {
    const fresh = await issueAndWaitForTask(sys);
    const late = await issueAndWaitForTask(sys, { issuedAt: '2026-08-03T02:00:00Z' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.waitForSelector(`text=${fresh.code}`);
    await page.waitForSelector(`text=${late.code}`);
    const lateRow = page.locator('tr', { hasText: late.code });
    await expect.poll(async () => (await lateRow.textContent()) ?? '', { timeout: 15_000 }).toContain('已逾期');
    expect(await page.locator('tr', { hasText: fresh.code }).textContent()).toContain('核查填报');
    // Due instants are shown in Shanghai time: the end of the due day.
    expect(await page.locator('tr', { hasText: fresh.code }).textContent()).toMatch(/23:59/);
    await screenshot(page, 'inbox-officer');

    // Other counties' patches are not there.
    const other = await issueAndWaitForTask(sys, { countyCode: '371502' });
    await page.reload();
    await page.waitForSelector(`text=${fresh.code}`);
    expect(await page.locator(`text=${other.code}`).count()).toBe(0);
    await page.close();
  });

  it('rejects a wrong password with a message', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    await page.goto(`${sys.baseUrl}/#/login`);
    await page.fill('input[name="username"]', 'xq.officer');
    await page.fill('input[name="password"]', 'wrong');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=用户名或密码错误');
    await screenshot(page, 'login-rejected');
    await page.close();
  });
});

const DAY = 86_400_000;
/** Nan'an: verification within 15 days of issuance (004), so the issuance sets the due date. */
const issuedDaysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const NANAN = { countyCode: '350583' };

/** The patch codes of the inbox's rows, top to bottom. */
const rowCodes = (page: Page, codes: string[]) =>
  page.locator('tbody tr').evaluateAll((rows, wanted) => rows.map((r) => wanted.find((c) => r.textContent?.includes(c))).filter(Boolean), codes);

/** Adds a filter from the filter menu by its label. */
async function addFilter(page: Page, label: string) {
  await page.getByRole('button', { name: '添加搜索条件' }).click();
  await page.getByRole('menu').getByText(label, { exact: true }).click();
}

describe('ordering and marks', () => {
  it('lists the tasks soonest due first, the one due within three days marked near-due', async () => {
    // Issued out of order: due in 15, 1 and 10 days.
    const far = await issueAndWaitForTask(sys, { ...NANAN, issuedAt: issuedDaysAgo(0) });
    const near = await issueAndWaitForTask(sys, { ...NANAN, issuedAt: issuedDaysAgo(14) });
    const mid = await issueAndWaitForTask(sys, { ...NANAN, issuedAt: issuedDaysAgo(5) });
    const dues = [near, mid, far].map((p) => Date.parse(p.task.dueAt));
    expect(dues[0]).toBeLessThan(dues[1]);
    expect(dues[1]).toBeLessThan(dues[2]);
    expect(dues[0] - Date.now()).toBeLessThan(3 * DAY);
    expect(dues[1] - Date.now()).toBeGreaterThan(3 * DAY);

    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'na.officer');
    await page.locator('tr', { hasText: mid.code }).waitFor();
    const codes = [near.code, mid.code, far.code];
    await expect.poll(() => rowCodes(page, codes)).toEqual(codes);
    const chip = (code: string) => page.locator('tr', { hasText: code }).locator('.MuiChip-root');
    expect(await chip(near.code).allTextContents()).toEqual(['即将到期']);
    expect(await chip(mid.code).count()).toBe(0);
    expect(await chip(far.code).count()).toBe(0);
    await screenshot(page, 'inbox-ordered-near-due');
    await page.close();
  });
});

describe('the stage, batch and due-before filters', () => {
  it('narrow the inbox to the patches in correction, of a batch, or due by a date', async () => {
    const batch = sys.unique('B');
    const inBatch = await issueAndWaitForTask(sys, { ...NANAN, batchCode: batch, issuedAt: issuedDaysAgo(2) });
    const soon = await issueAndWaitForTask(sys, { ...NANAN, issuedAt: issuedDaysAgo(13) });
    // One sent back by the province: its patch is in correction.
    const back = await issueAndWaitForTask(sys, { ...NANAN, issuedAt: issuedDaysAgo(1) });
    await completeAs(sys, 'na.officer', back.task.id, determination('legal'));
    await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, back.code, 'review', 'fj.reviewer')).id, { decision: 'send_back', reason: '请补充批准文件' });
    await openTaskOf(sys, back.code, 'correction', 'na.officer');

    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'na.officer');
    const all = [inBatch.code, soon.code, back.code];
    await expect.poll(async () => (await rowCodes(page, all)).length).toBe(3);

    // Stage: correction.
    await addFilter(page, '图斑环节');
    await page.locator('.ra-input-stage').click();
    await page.getByRole('option', { name: '退回修正' }).click();
    await expect.poll(() => rowCodes(page, all)).toEqual([back.code]);
    expect(page.url()).toContain(encodeURIComponent('"stage":"correction"'));
    await screenshot(page, 'inbox-filter-stage');

    // Batch, instead.
    await page.goto(`${sys.baseUrl}/#/tasks?filter=${encodeURIComponent(JSON.stringify({ status: 'open' }))}`);
    await expect.poll(async () => (await rowCodes(page, all)).length).toBe(3);
    await addFilter(page, '批次');
    await page.locator('.ra-input-batchCode input').fill(batch);
    await expect.poll(() => rowCodes(page, all)).toEqual([inBatch.code]);

    // Due before the day after tomorrow (Shanghai): only the one issued 13 days ago.
    await page.goto(`${sys.baseUrl}/#/tasks?filter=${encodeURIComponent(JSON.stringify({ status: 'open' }))}`);
    await expect.poll(async () => (await rowCodes(page, all)).length).toBe(3);
    await addFilter(page, '截止日期不晚于');
    const until = new Date(Date.parse(soon.task.dueAt)).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    await page.locator('.ra-input-dueBefore input').fill(until);
    await expect.poll(() => rowCodes(page, all)).toEqual([soon.code]);
    await screenshot(page, 'inbox-filter-due-before');
    await page.close();
  });
});
