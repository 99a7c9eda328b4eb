/** The admin UI in a real browser: the demo officer logs in and sees the region's tasks. */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { issueAndWaitForTask } from '../support/fixtures';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

describe('the officer\'s inbox', () => {
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
