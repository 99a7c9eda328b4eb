/**
 * The administrator in Chromium. Ningxia's policy editor: each part marked as the region's own,
 * inherited from the nation, or the system default; a deadline changed with its Chinese description
 * following; the preview of due dates and of how many running workflows move; applying it with a note and
 * watching the fan-out complete; the version history; the running tasks re-armed. Also users (create,
 * reset a password) and the region tree. Screenshots in test-artifacts/.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { computeDue, formatLocalDate } from '../../domain/deadlines';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { DESKTOP, field, fill, noHorizontalScroll, noRawKeys, PHONE } from '../support/e2e';
import { issueAndWaitForTask } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

describe('an administrator changes a deadline', () => {
  it('previews the affected workflows, applies it with a note, and sees the fan-out complete', async () => {
    const a = await issueAndWaitForTask(sys, { countyCode: '640104' });
    const b = await issueAndWaitForTask(sys, { countyCode: '640106' });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'nx.admin');
    await page.getByRole('menuitem', { name: '地区规则' }).click();
    await page.getByTestId('policy-editor').waitFor();

    // Where each part comes from.
    const verification = page.locator('[data-policy-path="deadlines.verification"]');
    expect(await verification.locator('[data-source]').getAttribute('data-source')).toBe('own');
    expect(await page.getByTestId('rule-deadlines.verification-description').textContent()).toBe('下发次月25日前');
    const province = page.locator('[data-policy-path="deadlines.review.province"]');
    expect(await province.textContent()).toContain('继承自全国');
    expect(await province.textContent()).toContain('事件后1个月内');
    expect(await page.locator('[data-policy-path="escalation.afterDays"]').textContent()).toContain('系统默认');
    // The evidence rule: the national preset's, in words.
    const evidence = page.locator('[data-policy-path="verification.evidence"]');
    expect(await evidence.textContent()).toContain('继承自全国');
    expect(await evidence.textContent()).toContain('违法：至少 1 张带GPS位置的照片；合法但无批准文件：至少 1 张带GPS位置的照片');
    expect(await page.locator('[data-policy-path="onsiteChecks.province"]').textContent()).toContain('耕地 ≥ 100 亩（违法；有新增建（构）筑物）');
    await noRawKeys(page);
    await screenshot(page, 'policy-1-editor-desktop');

    // The 25th becomes the 20th: the description follows.
    await page.getByTestId('rule-deadlines.verification-day').fill('20');
    await expect.poll(async () => page.getByTestId('rule-deadlines.verification-description').textContent()).toBe('下发次月20日前');
    await page.getByTestId('policy-dirty').waitFor();

    // The preview: a sample issued today, and the two running workflows that move.
    await page.getByRole('button', { name: '预览', exact: true }).click();
    const affected = page.getByTestId('preview-affected');
    await affected.waitFor();
    expect(await affected.textContent()).toContain('将调整 2 个运行中流程的 2 个待办任务的截止时间');
    const today = formatLocalDate(Date.now());
    const proposed = formatLocalDate(
      computeDue(
        { kind: 'dayOfMonth', day: 20, monthOffset: 1, from: 'issuance' },
        { issuedAt: `${today}T10:00:00+08:00`, eventAt: `${today}T10:00:00+08:00` },
      ),
    );
    const sample = page.getByTestId('preview-samples').locator('tbody tr').first();
    expect(await sample.getAttribute('data-changed')).toBe('true');
    expect(await sample.locator('td').nth(3).textContent()).toContain(proposed.replace(/-/g, '/'));
    await screenshot(page, 'policy-2-preview-desktop');

    // Applied with a note: a new version, broadcast to the running workflows.
    await page.getByTestId('policy-note').fill('宁夏：核查期限调整为次月20日');
    await page.getByRole('button', { name: '应用并下发' }).click();
    // First a confirmation summing up the change: the tasks moved, to which dates, the samples previewed.
    const confirm = page.getByTestId('apply-confirm');
    await expect.poll(async () => (await confirm.textContent()) ?? '').toContain('将调整 2 个运行中流程的 2 个待办任务的截止时间');
    const dates = (await page.getByTestId('apply-confirm-dates').textContent()) ?? '';
    expect(dates).toMatch(/^调整后的截止日期(?:为 \d{4}\/\d{2}\/20。|在 \d{4}\/\d{2}\/20 至 \d{4}\/\d{2}\/20 之间。)$/);
    expect(await page.getByTestId('apply-confirm-samples').textContent()).toContain(`→ ${proposed.replace(/-/g, '/')}`);
    await screenshot(page, 'policy-2b-confirm-desktop');
    await page.getByRole('button', { name: '确认下发' }).click();
    const progress = page.getByTestId('broadcast-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 30_000 }).toBe('COMPLETED');
    expect(await progress.textContent()).toMatch(/下发完成：已通知 \d+ 个流程，第 2 版已生效/);
    const versions = page.getByTestId('policy-versions');
    await expect.poll(async () => (await versions.locator('tr[data-version="2"]').textContent()) ?? '').toContain('宁夏：核查期限调整为次月20日');
    expect(await versions.locator('tr[data-version="2"]').textContent()).toContain('宁夏自然资源厅管理员');
    expect(await page.getByTestId('policy-dirty').count()).toBe(0);
    await noRawKeys(page);
    await screenshot(page, 'policy-3-applied-desktop');

    // The running tasks were re-armed to the 20th.
    for (const { task } of [a, b]) {
      await eventually(async () => formatLocalDate((await sys.sql`select due_at from tasks where id = ${task.id}`)[0].due_at).endsWith('-20'), 20_000);
    }
    await page.close();
  });
});

describe('users and regions', () => {
  it('creates a user in the subtree, resets its password, and browses the region tree', async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'nx.admin');
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await page.locator('tr', { hasText: 'xq.officer' }).waitFor();
    await page.getByRole('link', { name: '新建' }).click();
    await fill(page, 'username', 'xq.new.officer');
    await fill(page, 'displayName', '兴庆区新核查员');
    await field(page, 'regionCode').locator('input').fill('兴庆');
    await page.getByRole('option', { name: /兴庆区/ }).click();
    await fill(page, 'password', 'short');
    await page.getByRole('button', { name: '保存' }).click();
    // The server names the field it refuses.
    await expect.poll(async () => (await field(page, 'password').textContent()) ?? '').toContain('至少8位');
    await fill(page, 'password', 'Secret-2026');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('tr', { hasText: 'xq.new.officer' }).waitFor();
    const [created] = await sys.sql`select role, region_code, classified from users where username = 'xq.new.officer'`;
    expect(created).toMatchObject({ role: 'officer', region_code: '640104', classified: false });
    await screenshot(page, 'admin-1-users-desktop');

    await page.locator('tr', { hasText: 'xq.new.officer' }).click();
    await page.getByRole('button', { name: '重置密码' }).waitFor();
    expect(await field(page, 'displayName').locator('input').inputValue()).toBe('兴庆区新核查员');
    await screenshot(page, 'admin-1b-user-edit-desktop');
    await page.getByRole('button', { name: '重置密码' }).click();
    await page.getByRole('button', { name: '生成随机密码' }).click();
    const password = (await page.getByTestId('generated-password').textContent())?.trim() ?? '';
    const login = await sys.http('POST', '/api/auth/login', { body: { username: 'xq.new.officer', password } });
    expect(login.status).toBe(200);
    await page.getByRole('button', { name: '关闭' }).click();

    await page.getByRole('menuitem', { name: '行政区' }).click();
    const tree = page.getByTestId('region-tree');
    await tree.getByText('宁夏回族自治区').waitFor();
    await tree.getByRole('button', { name: '展开 银川市' }).click();
    await tree.getByText('兴庆区').waitFor();
    await noRawKeys(page);
    await screenshot(page, 'admin-2-regions-desktop');
    await page.close();
  });
});

describe('on-site check rules (003 四(一); 000 二(五))', () => {
  it('shows what the county filed the patch as and the farmland it occupies, and edits the filed sub-types', async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'lc.admin');
    // A county of Liaocheng inherits the city's rules: they are shown in words.
    await page.goto(`${sys.baseUrl}/#/policies/371502`);
    await page.getByTestId('policy-editor').waitFor();
    const inherited = page.locator('[data-policy-path="onsiteChecks.city"]');
    await expect
      .poll(async () => (await inherited.textContent()) ?? '')
      .toContain('耕地 ≥ 10 亩（合法/违法/其他；填报为设施农业用地、农业项目违法、实地未变化）');
    expect(await page.locator('[data-policy-path="onsiteChecks.province"]').textContent()).toContain('耕地 ≥ 100 亩（违法；有新增建（构）筑物）');

    // The city's own rules are edited in place.
    await page.goto(`${sys.baseUrl}/#/policies/371500`);
    await page.getByTestId('policy-editor').waitFor();
    const city = page.locator('[data-policy-path="onsiteChecks.city"]');
    await city.getByTestId('onsite-rule').nth(3).waitFor();
    const rule = city.getByTestId('onsite-rule').nth(3);
    expect(await rule.getByTestId('onsite-filed-as').getByLabel('设施农业用地', { exact: true }).isChecked()).toBe(true);
    await rule.getByTestId('onsite-filed-as').getByLabel('实地未变化', { exact: true }).uncheck();
    await screenshot(page, 'policy-onsite-filed-as');
    await page.getByTestId('policy-note').fill('实地未变化图斑不再由市局实地核查');
    await page.getByRole('button', { name: '应用并下发' }).click();
    await page.getByRole('button', { name: '确认下发' }).click();
    await eventually(
      async () => (await sys.sql`select 1 from region_policies where region_code = '371500' and note = '实地未变化图斑不再由市局实地核查'`).length === 1,
    );
    const [row] = await sys.sql`select overrides from region_policies where region_code = '371500' order by version desc limit 1`;
    expect(row.overrides.onsiteChecks.city[3]).toEqual({
      metric: 'farmlandMu',
      minMu: 10,
      legalities: ['legal', 'illegal', 'other'],
      filedAs: ['facility_agriculture', 'agricultural_project_illegal'],
    });
    await page.close();
  });
});

describe('a rule the server refuses', () => {
  it('shows the refusal of the preview and of the apply on the input concerned, not as a list of paths', async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'nx.admin');
    await page.goto(`${sys.baseUrl}/#/policies/640000`);
    await page.getByTestId('policy-editor').waitFor();
    const day = page.getByTestId('rule-deadlines.verification-day');
    await day.fill('40');
    // The day's own input is marked with the server's message.
    const dayField = page.locator('.MuiFormControl-root', { has: day });
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await expect.poll(async () => (await dayField.locator('.MuiFormHelperText-root').textContent()) ?? '', { timeout: 15_000 }).toMatch(/31/);
    expect(await dayField.locator('.Mui-error').count()).toBeGreaterThan(0);
    const previewErrors = (await page.getByTestId('preview-errors').textContent()) ?? '';
    expect(previewErrors).toContain('请按标注的输入项修改');
    expect(previewErrors).not.toContain('deadlines.');
    await screenshot(page, 'policy-4-refused-desktop');

    // Applying it is refused the same way.
    await day.fill('41');
    await expect.poll(() => dayField.locator('.Mui-error').count()).toBe(0);
    await page.getByTestId('policy-note').fill('超出范围的日期');
    await page.getByRole('button', { name: '应用并下发' }).click();
    await expect.poll(async () => (await dayField.locator('.MuiFormHelperText-root').textContent()) ?? '', { timeout: 15_000 }).toMatch(/31/);
    expect((await page.getByTestId('apply-errors').textContent()) ?? '').not.toContain('deadlines.');
    const [{ n }] = await sys.sql`select count(*)::int as n from region_policies where region_code = '640000' and note = '超出范围的日期'`;
    expect(n).toBe(0);
    await page.close();
  });
});

describe('on a phone (390×844)', () => {
  it('the policy editor, the users and a user fit the screen', async () => {
    const page = await browser.newPage(PHONE);
    await loginAs(page, sys.baseUrl, 'nx.admin');
    await page.goto(`${sys.baseUrl}/#/policies/640000`);
    await page.getByTestId('policy-versions').waitFor();
    await noHorizontalScroll(page);
    await screenshot(page, 'policy-editor-phone');
    await page.goto(`${sys.baseUrl}/#/users`);
    await page.getByText('xq.officer').first().waitFor();
    expect(await page.locator('table').count()).toBe(0);
    await noHorizontalScroll(page);
    await screenshot(page, 'users-phone');
    await page.getByText('xq.officer').first().click();
    await page.getByRole('button', { name: '重置密码' }).waitFor();
    await noHorizontalScroll(page);
    await screenshot(page, 'user-edit-phone');
    await page.close();
  });
});
