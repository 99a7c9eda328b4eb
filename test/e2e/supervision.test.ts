/**
 * Supervision in Chromium: patches issued long ago are overdue at once; the city supervisor sees them by
 * county and by stage, drills down to a county, sees how long a task is overdue, and reminds its
 * officers; the officer gets the reminder in the notifications menu (on a phone) and opens the task. The
 * monthly clearance tab shows the month per county. A supervisor lands on supervision when logging in.
 * Screenshots in test-artifacts/.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { DESKTOP, noHorizontalScroll, noRawKeys, PHONE } from '../support/e2e';
import { issueAndWaitForTask } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

/** Ningxia: due the 25th of the month after issuance, so long overdue. */
const LONG_AGO = '2026-03-05T02:00:00Z';
const overdueMarked = (taskId: string) => eventually(async () => (await sys.sql`select overdue from tasks where id = ${taskId}`)[0].overdue === true);

describe('where each lands', () => {
  it('a supervisor logging in lands on 督办, an officer and a reviewer on the inbox', async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'yc.supervisor');
    await page.getByTestId('supervision-page').waitFor();
    expect(new URL(page.url()).hash).toBe('#/supervision');
    // The app's root, too.
    await page.goto(`${sys.baseUrl}/#/`);
    await page.getByTestId('supervision-page').waitFor();
    expect(new URL(page.url()).hash).toBe('#/supervision');
    await noRawKeys(page);
    await page.close();
    for (const user of ['xq.officer', 'yc.reviewer']) {
      const other = await browser.newPage(DESKTOP);
      await loginAs(other, sys.baseUrl, user);
      await other.waitForURL((url) => url.hash.startsWith('#/tasks'));
      await other.getByRole('menuitem', { name: '任务收件箱' }).waitFor();
      expect(new URL(other.url()).hash).toMatch(/^#\/tasks/);
      expect(await other.getByTestId('supervision-page').count()).toBe(0);
      await other.close();
    }
  });
});

describe('a supervisor and an overdue task', () => {
  it('sees it by region and stage, drills down, reminds, and the officer is notified', async () => {
    const late = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const other = await issueAndWaitForTask(sys, { countyCode: '640106', issuedAt: LONG_AGO });
    await issueAndWaitForTask(sys, { countyCode: '640104' }); // not overdue
    await Promise.all([overdueMarked(late.task.id), overdueMarked(other.task.id)]);

    const supervisor = await browser.newPage(DESKTOP);
    await loginAs(supervisor, sys.baseUrl, 'yc.supervisor');
    await supervisor.getByRole('menuitem', { name: '督办' }).click();
    await supervisor.getByTestId('supervision-page').waitFor();
    await expect.poll(async () => (await supervisor.getByTestId('overdue-total').textContent()) ?? '').toBe('2');
    const byRegion = supervisor.getByTestId('overdue-by-region');
    expect(await byRegion.locator('tr[data-region="640104"]').textContent()).toContain('兴庆区');
    expect(await byRegion.locator('tr[data-region="640104"] td').nth(1).textContent()).toBe('1');
    expect(await byRegion.locator('tr[data-region="640106"] td').nth(1).textContent()).toBe('1');
    expect(await supervisor.getByTestId('overdue-by-stage').textContent()).toContain('核查填报 2');
    // Grouped by task type (what the API counts by), and labelled so.
    expect(await supervisor.getByText('按任务类型', { exact: true }).count()).toBeGreaterThan(0);
    expect(await supervisor.getByText('按环节', { exact: true }).count()).toBe(0);
    await noRawKeys(supervisor);
    await screenshot(supervisor, 'supervision-1-city-desktop');

    // Drill down to Xingqing: its overdue task, and for how long.
    await byRegion.locator('tr[data-region="640104"]').getByRole('button', { name: '下钻' }).click();
    await expect.poll(async () => (await supervisor.getByTestId('region-breadcrumbs').textContent()) ?? '').toContain('兴庆区');
    await expect.poll(async () => (await supervisor.getByTestId('overdue-total').textContent()) ?? '').toBe('1');
    const row = supervisor.locator(`tr[data-task-id="${late.task.id}"]`);
    await row.waitFor();
    const days = Math.floor((Date.now() - Date.parse(late.task.dueAt)) / 86_400_000);
    expect(await row.textContent()).toContain(`${days} 天`);
    expect(await supervisor.locator(`tr[data-task-id="${other.task.id}"]`).count()).toBe(0);

    // Remind its officers.
    await row.getByRole('checkbox').check();
    await supervisor.getByRole('button', { name: '督办提醒' }).click();
    await supervisor.getByTestId('remind-message').fill('请本周内完成核查填报');
    await supervisor.getByRole('button', { name: '发送' }).click();
    await supervisor.getByText('已提醒 1 个任务；0 个任务今天已提醒过').waitFor();
    const [notice] = await sys.sql`select region_code, role, user_id, title, body from notifications where task_id = ${late.task.id} and kind = 'reminder'`;
    expect(notice).toMatchObject({ region_code: '640104', role: 'officer', user_id: null });
    expect(notice.body).toContain('请本周内完成核查填报');
    const [entry] = await sys.sql`select actor_name from audit_log where task_id = ${late.task.id} and action = 'task.reminded'`;
    expect(entry.actor_name).toBe('银川市督办员');
    await screenshot(supervisor, 'supervision-2-county-reminded-desktop');

    // Reassign it to another officer of the county.
    await row.getByRole('checkbox').check();
    await supervisor.getByRole('button', { name: '批量改派' }).click();
    await supervisor.getByTestId('reassign-users').getByText('兴庆区涉密核查员').click();
    await supervisor.getByText('已将 1 个任务改派给 兴庆区涉密核查员').waitFor();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('兴庆区涉密核查员');
    const [{ username }] = await sys.sql`select u.username from tasks t join users u on u.id = t.assignee_id where t.id = ${late.task.id}`;
    expect(username).toBe('xq.secret');

    // The monthly clearance of the city.
    await supervisor.getByRole('menuitem', { name: '督办' }).click();
    await supervisor.getByRole('tab', { name: '月清进度' }).click();
    const table = supervisor.getByTestId('clearance-table');
    await table.waitFor();
    expect(await table.locator('tr[data-region="640104"] td').nth(1).textContent()).toBe('1'); // the fresh patch, issued this month
    expect(await supervisor.getByTestId('clearance-total').textContent()).toContain('0%');
    await noRawKeys(supervisor);
    await screenshot(supervisor, 'supervision-3-clearance-desktop');

    // The officer, on a phone, finds the reminder under the bell and opens the task from it.
    const officer = await browser.newPage(PHONE);
    await loginAs(officer, sys.baseUrl, 'xq.officer');
    const bell = officer.getByTestId('notifications-button');
    await expect.poll(async () => (await bell.textContent()) ?? '').toMatch(/[1-9]/);
    await bell.click();
    const reminder = officer.getByTestId('notifications-list').locator('[data-kind="reminder"]').first();
    await reminder.waitFor();
    expect(await reminder.textContent()).toContain('请本周内完成核查填报');
    await noHorizontalScroll(officer);
    await screenshot(officer, 'supervision-4-notifications-phone');
    await reminder.click();
    await officer.waitForURL((url) => decodeURIComponent(url.hash).includes(`/tasks/${late.task.id}/show`));
    await officer.getByRole('heading', { name: '核查填报', exact: true }).waitFor();
    await eventually(async () => (await sys.sql`select read_at from notifications where task_id = ${late.task.id} and kind = 'reminder'`)[0].read_at !== null);
    for (const p of [supervisor, officer]) await p.close();
  });
});

describe('bulk remind and reassign', () => {
  it('reminds and reassigns two selected tasks at once', async () => {
    const one = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const two = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    await Promise.all([overdueMarked(one.task.id), overdueMarked(two.task.id)]);
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'yc.supervisor');
    await page.goto(`${sys.baseUrl}/#/supervision?region=640104`);
    const rows = [one, two].map(({ task }) => page.locator(`tr[data-task-id="${task.id}"]`));
    for (const row of rows) await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: '督办提醒' }).click();
    await page.getByTestId('remind-message').fill('两个图斑请一并办理');
    await page.getByRole('button', { name: '发送' }).click();
    await page.getByText('已提醒 2 个任务；0 个任务今天已提醒过').waitFor();
    const notices = await sys.sql`select task_id, body from notifications where kind = 'reminder' and task_id in ${sys.sql([one.task.id, two.task.id])}`;
    expect(notices.map((n) => n.task_id).sort()).toEqual([one.task.id, two.task.id].sort());
    expect(notices.every((n) => n.body.includes('两个图斑请一并办理'))).toBe(true);

    // The selection was cleared; select both again and reassign them to one officer.
    for (const row of rows) await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: '批量改派' }).click();
    await page.getByTestId('reassign-users').getByText('兴庆区涉密核查员').click();
    await page.getByText('已将 2 个任务改派给 兴庆区涉密核查员').waitFor();
    for (const row of rows) await expect.poll(async () => (await row.textContent()) ?? '').toContain('兴庆区涉密核查员');
    const held = await sys.sql`select u.username from tasks t join users u on u.id = t.assignee_id where t.id in ${sys.sql([one.task.id, two.task.id])}`;
    expect(held.map((h) => h.username)).toEqual(['xq.secret', 'xq.secret']);
    const audited =
      await sys.sql`select task_id from audit_log where action = 'task.assigned' and (after->>'bulk')::boolean and task_id in ${sys.sql([one.task.id, two.task.id])}`;
    expect(audited).toHaveLength(2);
    await page.close();
  });
});

describe('on a phone (390×844)', () => {
  it('the overdue work and the monthly clearance fit the screen', async () => {
    const late = await issueAndWaitForTask(sys, { countyCode: '640106', issuedAt: LONG_AGO });
    await overdueMarked(late.task.id);
    const page = await browser.newPage(PHONE);
    await loginAs(page, sys.baseUrl, 'yc.supervisor');
    await page.goto(`${sys.baseUrl}/#/supervision`);
    await page.getByTestId('overdue-by-region').waitFor();
    await page.locator(`tr[data-task-id="${late.task.id}"]`).waitFor();
    await noHorizontalScroll(page);
    await screenshot(page, 'supervision-overdue-phone');
    await page.getByRole('tab', { name: '月清进度' }).click();
    await page.getByTestId('clearance-table').waitFor();
    await noHorizontalScroll(page);
    await screenshot(page, 'supervision-clearance-phone');
    await page.close();
  });
});
