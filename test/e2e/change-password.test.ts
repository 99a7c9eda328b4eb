/**
 * 修改密码 / Change password in Chromium: the user menu's form (a wrong current password named on its
 * field, the policy's message on the new one, then success in Chinese and English), and no Content
 * Security Policy violation while the UI, the patch map and the swagger UI at /api/docs load.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { DESKTOP, noRawKeys, switchToEnglish } from '../support/e2e';
import { issueAndWaitForTask } from '../support/fixtures';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

/** CSP violations reported by the page (console errors and securitypolicyviolation events). */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return violations;
}

async function newUser(username: string) {
  const res = await sys.http('POST', '/api/users', {
    token: await sys.login('nx.admin'),
    body: { username, displayName: '改密用户', role: 'officer', regionCode: '640104', password: 'wpzf2026' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function openForm(page: Page) {
  await page.locator('[data-user-content] button').first().click();
  await page.getByTestId('change-password').click();
  await page.getByRole('dialog').waitFor();
}

describe('a user changes their own password', () => {
  it('in Chinese: wrong current password and a weak new one are named on their fields; then it is changed', async () => {
    await newUser('cp.zh');
    const page = await browser.newPage(DESKTOP);
    const violations = await watchCsp(page);
    await loginAs(page, sys.baseUrl, 'cp.zh');
    await openForm(page);
    expect(await page.getByRole('dialog').textContent()).toContain('修改密码');
    await page.fill('input[name="currentPassword"]', 'not-it-2026');
    await page.fill('input[name="newPassword"]', 'Better-2027x');
    await page.fill('input[name="confirm"]', 'Better-2027x');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('当前密码不正确').waitFor();
    await page.fill('input[name="currentPassword"]', 'wpzf2026');
    await page.fill('input[name="newPassword"]', '12345678');
    await page.fill('input[name="confirm"]', '12345678');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('密码须同时包含字母和数字').waitFor();
    await noRawKeys(page);
    await screenshot(page, 'change-password-1-error');
    await page.fill('input[name="newPassword"]', 'Better-2027x');
    await page.fill('input[name="confirm"]', 'Better-2027x');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('密码已修改').waitFor();
    expect((await sys.http('POST', '/api/auth/login', { body: { username: 'cp.zh', password: 'Better-2027x' } })).status).toBe(200);
    expect(violations).toEqual([]);
    await page.close();
  });

  it('in English', async () => {
    await newUser('cp.en');
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'cp.en');
    await switchToEnglish(page);
    await openForm(page);
    expect(await page.getByRole('dialog').textContent()).toContain('Change password');
    await page.fill('input[name="currentPassword"]', 'wpzf2026');
    await page.fill('input[name="newPassword"]', 'Better-2027x');
    await page.fill('input[name="confirm"]', 'Other-2027x');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The two new passwords differ').waitFor();
    await page.fill('input[name="confirm"]', 'Better-2027x');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Password changed').waitFor();
    await noRawKeys(page);
    await page.close();
  });
});

describe('the Content Security Policy', () => {
  it('lets the patch map and the swagger UI work', async () => {
    const task = await issueAndWaitForTask(sys, { countyCode: '640104' });
    const page = await browser.newPage(DESKTOP);
    const violations = await watchCsp(page);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.goto(`${sys.baseUrl}/#/patches/${encodeURIComponent(task.code)}/show`);
    await page.locator('.leaflet-container').first().waitFor();
    await page.goto(`${sys.baseUrl}/api/docs`);
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'change-password-3-swagger');
    expect(violations).toEqual([]);
    // The watch sees what the policy blocks: an image from an origin it does not name.
    await page.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'https://tiles.elsewhere.example/0/0/0.png';
      document.body.appendChild(img);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    await page.close();
  });
});
