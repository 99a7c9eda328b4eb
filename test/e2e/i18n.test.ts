/**
 * Both languages in Chromium. In English no Chinese character or punctuation shows outside user content
 * (names, codes, notes: marked data-user-content): the inbox, the task page before and after the server
 * refuses a determination (the region's rule translated from its code), an evidence photo's warnings, the notifications (an officer's
 * reminder and a supervisor's overdue notice, written from their params), supervision
 * (overdue and clearance) and the policy editor. In Chinese, react-admin's own texts are Chinese too: an
 * inbox filtered to nothing says so in Chinese. Screenshots in test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { cjkOutsideUserContent, DESKTOP, field, noCjkOutsideUserContent, noRawKeys, switchToEnglish } from '../support/e2e';
import { jpeg } from '../support/evidence-files';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

const ENGLISH = { ...DESKTOP, locale: 'en-US' };

async function englishPage(username: string): Promise<Page> {
  const page = await browser.newPage(ENGLISH);
  await loginAs(page, sys.baseUrl, username);
  await switchToEnglish(page);
  return page;
}

/** Every text translated: no message keys, no Chinese outside user content. */
async function allEnglish(page: Page) {
  await noRawKeys(page);
  await noCjkOutsideUserContent(page);
}

describe('in English', () => {
  it("the inbox, the task page with the server's refusal, and the notifications", async () => {
    const late = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: '2026-03-05T02:00:00Z', category: 'new_non_agricultural_construction' });
    await eventually(async () => (await sys.sql`select overdue from tasks where id = ${late.task.id}`)[0].overdue === true);
    const reminded = await sys.http('POST', '/api/supervision/remind', {
      token: await sys.login('yc.supervisor'),
      body: { taskIds: [late.task.id], message: '请本周内完成核查填报' },
    });
    expect(reminded.body.reminded).toEqual([late.task.id]);

    const page = await englishPage('xq.officer');
    const row = page.locator('tr', { hasText: late.code });
    await row.waitFor();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('Overdue');
    await allEnglish(page);
    await screenshot(page, 'en-1-inbox');

    // The task page; "other" is refused by Ningxia's rule, which the UI words in English from its code.
    await row.click();
    await page.getByRole('heading', { name: 'Verification', exact: true }).waitFor();
    await page.getByTestId('timeline').waitFor();
    await allEnglish(page);
    // A photo taken a kilometre away before the issuance: both warnings worded in English from their params.
    const stray = jpeg({ lat: 38.48, lng: 106.2805, dateTimeOriginal: '2026:03:01 09:00:00', description: `stray-${late.code}` });
    await page.setInputFiles('[data-testid="evidence-file-input"]', { name: 'far.jpg', mimeType: 'image/jpeg', buffer: stray });
    const warnings = page.getByTestId('evidence-entry').locator('[data-warning]');
    await expect.poll(() => warnings.count(), { timeout: 15_000 }).toBe(2);
    expect(await warnings.allTextContents()).toEqual([
      expect.stringMatching(/^Photo taken \d+ m from the patch \(more than 500 m\): check that it shows this patch$/),
      'Photo taken before the patch was issued (2026/03/05): it may not show the current state',
    ]);
    await allEnglish(page);
    await page.getByTestId('evidence-entry').getByRole('button', { name: 'Remove' }).click();
    await field(page, 'determination.legality').getByLabel('Other').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: 'Unchanged on site' }).click();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByTestId('server-rejection').waitFor();
    await expect.poll(async () => (await field(page, 'determination.legality').textContent()) ?? '').toContain('does not allow "other"');
    await allEnglish(page);
    await screenshot(page, 'en-2-task-refused');

    // The reminder under the bell, written from its params; the supervisor's words and name are user content.
    await page.evaluate(() => window.scrollTo(0, 0)); // the app bar hides while scrolled down
    const taskLookups: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/tasks\?/.test(r.url()) && decodeURIComponent(r.url()).includes('"id":[')) taskLookups.push(r.url());
    });
    await page.getByTestId('notifications-button').click();
    const reminder = page.getByTestId('notifications-list').locator('[data-kind="reminder"]').first();
    await reminder.waitFor();
    await expect
      .poll(async () => (await reminder.textContent()) ?? '')
      .toMatch(new RegExp(`Reminder: the Verification task of patch ${late.code} is \\d+ days overdue; please complete it`));
    expect(await reminder.textContent()).toContain('请本周内完成核查填报');
    expect(await reminder.textContent()).toContain('due 2026/04/25');
    expect(await reminder.textContent()).toContain('from 银川市督办员');
    // Written from the notice's own params: no task is looked up for it.
    expect(taskLookups).toEqual([]);
    await allEnglish(page);
    await screenshot(page, 'en-3-notifications');
    await page.close();

    // The county's supervisor: the overdue notice, in English from its params.
    const supervisor = await englishPage('xq.supervisor');
    await supervisor.getByTestId('notifications-button').click();
    const overdue = supervisor.getByTestId('notifications-list').locator('[data-kind="overdue"]', { hasText: late.code });
    await overdue.waitFor();
    expect(await overdue.textContent()).toContain(`The Verification task of patch ${late.code} is overdue`);
    expect(await overdue.textContent()).toContain('due 2026/04/25');
    await allEnglish(supervisor);
    await screenshot(supervisor, 'en-3b-notifications-overdue');
    await supervisor.close();
  });

  it('the review loop: the send-back and resubmission notices, and what happens after a submission', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '640104', areaMu: 8 });
    await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 3 }));
    const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason: '请补充批准文件' });
    const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');

    const officer = await englishPage('xq.officer');
    await officer.getByTestId('notifications-button').click();
    const sentBack = officer.getByTestId('notifications-list').locator('[data-kind="sent_back"]', { hasText: code });
    await sentBack.waitFor();
    expect(await sentBack.textContent()).toContain(`Sent back by 银川市: correct patch ${code} and submit it again`);
    expect(await sentBack.textContent()).toContain('reason: 请补充批准文件');
    expect(await sentBack.textContent()).toContain('sent back by 银川市审核员');
    await allEnglish(officer);
    await screenshot(officer, 'en-7-sent-back-notice');
    await officer.keyboard.press('Escape');

    // The correction starts from the determination sent back: submitted as it is, the notice says what comes next.
    await officer.goto(`${sys.baseUrl}/#/tasks/${encodeURIComponent(correction.id)}/show`);
    await officer.getByRole('heading', { name: 'Correction', exact: true }).waitFor();
    await officer.getByRole('button', { name: 'Submit' }).click();
    const notice = officer.getByTestId('submitted-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toBe('Submitted; next: desk review by 银川市');
    await allEnglish(officer);
    await officer.close();

    const reviewer = await englishPage('yc.reviewer');
    await reviewer.getByTestId('notifications-button').click();
    const resubmitted = reviewer.getByTestId('notifications-list').locator('[data-kind="resubmitted"]', { hasText: code });
    await resubmitted.waitFor();
    expect(await resubmitted.textContent()).toContain(`Resubmitted: 兴庆区 corrected patch ${code}; please review it`);
    expect(await resubmitted.textContent()).toContain('submitted by 兴庆区核查员');
    await allEnglish(reviewer);
    await reviewer.close();
  });

  it('supervision (overdue and clearance) and the policy editor', async () => {
    const late = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: '2026-03-05T02:00:00Z' });
    await eventually(async () => (await sys.sql`select overdue from tasks where id = ${late.task.id}`)[0].overdue === true);

    const supervisor = await englishPage('yc.supervisor');
    await supervisor.getByRole('menuitem', { name: 'Supervision' }).click();
    await supervisor.locator(`tr[data-task-id="${late.task.id}"]`).waitFor();
    await allEnglish(supervisor);
    await screenshot(supervisor, 'en-4-supervision-overdue');
    await supervisor.getByRole('tab', { name: 'Monthly clearance' }).click();
    await supervisor.getByTestId('clearance-table').waitFor();
    await allEnglish(supervisor);
    await screenshot(supervisor, 'en-5-supervision-clearance');
    await supervisor.close();

    const admin = await englishPage('nx.admin');
    await admin.getByRole('menuitem', { name: 'Region policies' }).click();
    await admin.getByTestId('policy-editor').waitFor();
    await admin.getByTestId('policy-versions').waitFor();
    expect(await admin.getByTestId('rule-deadlines.verification-description').textContent()).toBe('by day 25 of the next month (from issuance)');
    await allEnglish(admin);
    await screenshot(admin, 'en-6-policy-editor');
    await admin.close();
  });

  it('the check finds Chinese outside user content (it can fail)', async () => {
    const page = await englishPage('xq.officer');
    await page.getByRole('tab', { name: 'Unassigned' }).waitFor();
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = '未翻译的文字';
      document.body.append(p);
    });
    expect(await cjkOutsideUserContent(page)).toEqual(['未翻译的文字']);
    await page.close();
  });
});

describe('in Chinese', () => {
  it("an inbox filtered to nothing says so in Chinese, with react-admin's own texts translated", async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.getByRole('tab', { name: '待认领' }).waitFor();
    await page.locator('input[name="q"]').fill('没有这样的图斑');
    await page.getByText('当前筛选条件下没有找到任务。').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '清除筛选条件' }).waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/No .* found|Clear filters/);
    await noRawKeys(page);
    await screenshot(page, 'inbox-filtered-empty');
    await page.close();
  });
});
