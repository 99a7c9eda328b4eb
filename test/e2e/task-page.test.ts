/**
 * The officer's whole verification in Chromium: from the inbox to the task page, a photo upload whose
 * EXIF GPS and time are shown, a determination the region forbids (Ningxia: "other" for new
 * non-agricultural construction) answered with a server-side error on the legality field, the fix, the
 * task leaving the inbox, and the patch page with the polygon drawn offline and the timeline. Also
 * claiming and assigning from the inbox, and each page at a phone's size. Screenshots in test-artifacts/.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { completeTask, DESKTOP, field, noHorizontalScroll, noRawKeys, openTask, PHONE } from '../support/e2e';
import { jpeg } from '../support/evidence-files';
import { issueAndWaitForTask, openTaskOf } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

/** Inside the fixture polygon (106.280–106.281 E, 38.470–38.471 N). */
const INSIDE = { lat: 38.4705, lng: 106.2805 };

describe('an officer verifies a patch in the browser', () => {
  it("uploads a photo, gets the region's rule on the legality field, fixes it, and the task leaves the inbox", async () => {
    const { code, task } = await issueAndWaitForTask(sys, {
      category: 'new_non_agricultural_construction',
      issuedAt: '2026-11-01T02:00:00Z',
      areaMu: 6,
      farmlandMu: 3,
    });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');

    // The inbox: open the task from its row.
    await page.locator('tr', { hasText: code }).click();
    await page.waitForURL((url) => url.hash.includes('/tasks/') && url.hash.endsWith('/show'));
    await page.getByRole('heading', { name: '核查填报', exact: true }).waitFor();
    expect(decodeURIComponent(page.url())).toContain(task.id);
    await page.getByTestId('timeline').waitFor();
    await noRawKeys(page);

    // A photo taken on the patch: its GPS and time are read by the server and shown.
    const photo = jpeg({ ...INSIDE, dateTimeOriginal: '2026:11:20 10:20:30', description: code });
    await page.setInputFiles('[data-testid="evidence-file-input"]', { name: '现场照片.jpg', mimeType: 'image/jpeg', buffer: photo });
    const entry = page.getByTestId('evidence-entry');
    await expect.poll(async () => (await entry.count()) === 1 && (await entry.textContent()), { timeout: 15_000 }).toContain('38.47050, 106.28050');
    expect(await entry.textContent()).toContain('2026/11/20 10:20');
    expect(await entry.locator('[data-warning]').count()).toBe(0);
    // The thumbnail is the uploaded picture, fetched with the session.
    await expect.poll(() => entry.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(8);

    // A photo taken a kilometre away before the issuance is flagged on both counts; the officer removes it.
    const stray = jpeg({ lat: 38.48, lng: 106.2805, dateTimeOriginal: '2026:10:20 09:00:00', description: `stray-${code}` });
    await page.setInputFiles('[data-testid="evidence-file-input"]', { name: '远处.jpg', mimeType: 'image/jpeg', buffer: stray });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBe(2);
    const strayEntry = entry.filter({ hasText: '远处.jpg' });
    await expect
      .poll(() => strayEntry.locator('[data-warning]').evaluateAll((els) => els.map((e) => e.getAttribute('data-warning'))))
      .toEqual(['gps_far_from_patch', 'predates_issuance']);
    expect(await strayEntry.textContent()).toMatch(/距图斑 \d+ 米/);
    await screenshot(page, 'task-evidence-warnings');
    await strayEntry.getByRole('button', { name: '移除' }).click();
    await expect.poll(() => entry.count()).toBe(1);

    // "Other" is forbidden in Ningxia for this category: the server says so on the legality field.
    await field(page, 'determination.legality').getByLabel('其他').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: '实地未变化' }).click();
    await page.getByRole('button', { name: '提交' }).click();
    const legalityField = field(page, 'determination.legality');
    await expect.poll(async () => (await legalityField.textContent()) ?? '', { timeout: 15_000 }).toContain('不得判定为其他类用地');
    await page.getByTestId('server-rejection').waitFor();
    await screenshot(page, 'task-verification-rule-error');
    const [{ status }] = await sys.sql`select status from tasks where id = ${task.id}`;
    expect(status).toBe('open');

    // Illegal on farmland: the rural-housing question appears and is required; then it goes through.
    await legalityField.getByLabel('违法').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: '未经批准占用' }).click();
    await field(page, 'determination.areas.farmlandMu').locator('input').fill('3');
    await page.getByTestId('farmland-flags').waitFor();
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await field(page, 'determination.farmlandFlags.rural_housing').textContent()) ?? '').toContain('必须回答');
    await field(page, 'determination.farmlandFlags.rural_housing').getByLabel('否').check();
    await screenshot(page, 'task-verification-desktop');
    await page.getByRole('button', { name: '提交' }).click();

    await page.waitForURL((url) => url.hash.startsWith('#/tasks') && !url.hash.includes('/show'), { timeout: 15_000 });
    // The notice says what happens next: the city (银川市) reviews every farmland patch in Ningxia (001).
    await page.getByText('已提交，待银川市内业审核').waitFor();
    await expect.poll(async () => page.locator('tr', { hasText: code }).count()).toBe(0);
    const [done] = await sys.sql`select status, result from tasks where id = ${task.id}`;
    expect(done.status).toBe('completed');
    expect(done.result.determination).toMatchObject({
      legality: 'illegal',
      farmlandFlags: { rural_housing: false },
      evidence: [{ gps: INSIDE, name: '现场照片.jpg' }],
    });

    // The patch page: the polygon drawn as SVG without any tiles, the determination and the timeline.
    await page.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    await page.getByTestId('patch-map').waitFor();
    await expect.poll(() => page.locator('.leaflet-overlay-pane svg path').count()).toBeGreaterThanOrEqual(2); // polygon + photo point
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    const timeline = page.getByTestId('timeline');
    await expect.poll(async () => (await timeline.textContent()) ?? '').toContain('核查填报：办结');
    const text = (await timeline.textContent()) ?? '';
    for (const label of ['图斑下发', '核查填报：任务下达', '上传举证材料', '兴庆区核查员']) expect(text).toContain(label);
    expect(await page.getByTestId('determination-view').textContent()).toContain('违法');
    expect(await page.getByTestId('section-case').textContent()).toContain('等待立案查处');
    await noRawKeys(page);
    await screenshot(page, 'patch-desktop');
    await page.close();
  });
});

describe('the evidence warnings after submission', () => {
  it('the reviewer sees the warnings of the photos in the determination under review', async () => {
    const { code, task } = await issueAndWaitForTask(sys, {
      category: 'new_non_agricultural_construction',
      issuedAt: '2026-11-01T02:00:00Z',
      areaMu: 6,
      farmlandMu: 3,
    });
    const officer = await browser.newPage(DESKTOP);
    await loginAs(officer, sys.baseUrl, 'xq.officer');
    await openTask(officer, sys.baseUrl, task.id, '核查填报');
    // About a kilometre north of the patch.
    const far = jpeg({ lat: 38.48, lng: 106.2805, dateTimeOriginal: '2026:11:20 09:00:00', description: `far-${code}` });
    await officer.setInputFiles('[data-testid="evidence-file-input"]', { name: '远处照片.jpg', mimeType: 'image/jpeg', buffer: far });
    await officer.getByTestId('evidence-entry').locator('[data-warning="gps_far_from_patch"]').waitFor({ timeout: 15_000 });
    await field(officer, 'determination.legality').getByLabel('违法').check();
    await field(officer, 'determination.subType').click();
    await officer.getByRole('option', { name: '未经批准占用' }).click();
    await field(officer, 'determination.areas.farmlandMu').locator('input').fill('3');
    await field(officer, 'determination.farmlandFlags.rural_housing').getByLabel('否').check();
    const sent = await completeTask(officer);
    // The payload carries the file, not its warnings.
    expect((sent.determination as { evidence: object[] }).evidence).toEqual([expect.not.objectContaining({ warnings: expect.anything() })]);
    await officer.close();

    // The city reviewer: the determination under review shows the photo with its warning.
    const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    const reviewer = await browser.newPage(DESKTOP);
    await loginAs(reviewer, sys.baseUrl, 'yc.reviewer');
    await openTask(reviewer, sys.baseUrl, review.id, '内业审核');
    const card = reviewer.getByTestId('determination-view').getByTestId('evidence-entry');
    await card.waitFor();
    await expect
      .poll(() => card.locator('[data-warning]').evaluateAll((els) => els.map((e) => e.getAttribute('data-warning'))), { timeout: 15_000 })
      .toEqual(['gps_far_from_patch']);
    expect(await card.textContent()).toMatch(/距图斑 \d+ 米/);
    await screenshot(reviewer, 'review-evidence-warning-desktop');
    // And so does the patch page's determination.
    await reviewer.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    await reviewer.getByTestId('determination-view').locator('[data-warning="gps_far_from_patch"]').waitFor({ timeout: 15_000 });
    await reviewer.close();
  });
});

describe('the patch map offline', () => {
  it('draws the polygon with every request outside the system refused, and asks for nothing outside it', async () => {
    const { code } = await issueAndWaitForTask(sys);
    // Without the CSP, which would block a request outside before the guard below could see it.
    const page = await browser.newPage({ ...DESKTOP, bypassCSP: true });
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${sys.baseUrl}/`) || url === sys.baseUrl || /^(data|blob):/.test(url)) return route.continue();
      outside.push(url);
      return route.abort('internetdisconnected');
    });
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    await page.getByTestId('patch-map').waitFor();
    const polygon = page.locator('.leaflet-overlay-pane svg path');
    await expect.poll(() => polygon.count()).toBeGreaterThanOrEqual(1);
    // A real outline, not an empty path.
    expect(await polygon.first().getAttribute('d')).toMatch(/^M[\d.\s-]+L/);
    expect(await page.locator('.leaflet-tile').count()).toBe(0);
    await page.getByTestId('timeline').waitFor();
    expect(outside).toEqual([]);
    await screenshot(page, 'patch-offline-desktop');
    // The guard sees a request outside the system (so the empty list above means something).
    await page.evaluate(() => fetch('https://tile.openstreetmap.org/0/0/0.png').catch(() => undefined));
    expect(outside).toEqual(['https://tile.openstreetmap.org/0/0/0.png']);
    await page.close();
  });
});

describe('claiming and assigning from the inbox', () => {
  it('an officer claims a task and finds it under "my tasks", no longer under "unassigned"', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    const row = page.locator('tr', { hasText: code });
    await row.getByRole('button', { name: '认领' }).click();
    await page.getByText('已认领该任务').waitFor();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('由我办理');
    await eventually(async () => (await sys.sql`select assignee_id from tasks where id = ${task.id}`)[0].assignee_id !== null);
    // The click claimed; it did not open the task.
    expect(page.url()).not.toContain('/show');

    await page.getByRole('tab', { name: '我的任务' }).click();
    await page.locator('tr', { hasText: code }).waitFor();
    await page.getByRole('tab', { name: '待认领' }).click();
    await expect.poll(() => page.locator('tr', { hasText: code }).count()).toBe(0);
    await screenshot(page, 'inbox-unassigned-desktop');
    await page.close();
  });

  it('a city reviewer assigns a county task to an officer through the picker', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'yc.reviewer');
    const row = page.locator('tr', { hasText: code });
    await row.getByRole('button', { name: '分派' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('兴庆区涉密核查员').click();
    await page.getByText('已分派给 兴庆区涉密核查员').waitFor();
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('由 兴庆区涉密核查员 办理');
    const [{ username }] = await sys.sql`select u.username from tasks t join users u on u.id = t.assignee_id where t.id = ${task.id}`;
    expect(username).toBe('xq.secret');
    await page.close();
  });
});

describe('filtering the inbox', () => {
  it('filters by category through the filter menu, saves the query and applies it again later', async () => {
    const a = await issueAndWaitForTask(sys, { category: 'new_non_agricultural_construction' });
    const b = await issueAndWaitForTask(sys, { category: 'other_change' });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.locator('tr', { hasText: b.code }).waitFor();

    await page.getByRole('button', { name: '添加搜索条件' }).click();
    await page.getByRole('menu').getByText('图斑类型', { exact: true }).click();
    await page.locator('.ra-input-category').click();
    await page.getByRole('option', { name: '新增非农建设类' }).click();
    await expect.poll(() => page.locator('tr', { hasText: b.code }).count()).toBe(0);
    await page.locator('tr', { hasText: a.code }).waitFor();

    await page.getByRole('button', { name: '添加搜索条件' }).click();
    await page.getByRole('menuitem', { name: '保存当前查询…' }).click();
    await page.getByLabel('查询名称').fill('新增非农待办');
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await screenshot(page, 'inbox-filtered-desktop');

    // Back to the default view, then the saved query from the menu.
    await page.goto(`${sys.baseUrl}/#/tasks?filter=${encodeURIComponent(JSON.stringify({ status: 'open' }))}`);
    await page.locator('tr', { hasText: b.code }).waitFor();
    await page.getByRole('button', { name: '添加搜索条件' }).click();
    await page.getByRole('menuitem', { name: '新增非农待办' }).click();
    await expect.poll(() => page.locator('tr', { hasText: b.code }).count()).toBe(0);
    await page.locator('tr', { hasText: a.code }).waitFor();
    await page.close();
  });
});

describe('in English', () => {
  it('the inbox, the task page and the patch page have every text translated', async () => {
    const { code } = await issueAndWaitForTask(sys, { issuedAt: '2026-11-01T02:00:00Z', farmlandMu: 1 });
    const page = await browser.newPage({ ...DESKTOP, locale: 'en-US' });
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('tab', { name: 'Unassigned' }).waitFor();
    await page.locator('tr', { hasText: code }).waitFor();
    await noRawKeys(page);
    await page.locator('tr', { hasText: code }).click();
    await page.getByRole('heading', { name: 'Verification', exact: true }).waitFor();
    await field(page, 'determination.legality').getByLabel('Illegal').check();
    await field(page, 'determination.areas.farmlandMu').locator('input').fill('1');
    await page.getByTestId('farmland-flags').getByText('New rural housing on farmland?').waitFor();
    await page.getByTestId('timeline').waitFor();
    await noRawKeys(page);
    await screenshot(page, 'task-verification-en');
    await page.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    await page.getByTestId('timeline').waitFor();
    expect(await page.getByTestId('timeline').textContent()).toContain('Verification: opened');
    await noRawKeys(page);
    await page.close();
  });
});

describe('on a phone (390×844)', () => {
  it('the inbox, the task form and the patch page fit the screen', async () => {
    const { code } = await issueAndWaitForTask(sys, { issuedAt: '2026-11-01T02:00:00Z' });
    const page = await browser.newPage(PHONE);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.getByText(code).first().waitFor();
    await noHorizontalScroll(page);
    // Claiming from the card does not open the task.
    const card = page.getByRole('link', { name: new RegExp(code) });
    await card.getByRole('button', { name: '认领' }).click();
    await expect.poll(async () => (await card.textContent()) ?? '').toContain('由我办理');
    expect(page.url()).not.toContain('/show');
    await screenshot(page, 'inbox-phone');

    await page.getByText(code).first().click();
    await page.getByRole('heading', { name: '核查填报', exact: true }).waitFor();
    await field(page, 'determination.legality').getByLabel('违法').check();
    await field(page, 'determination.areas.farmlandMu').locator('input').fill('2');
    await page.getByTestId('farmland-flags').waitFor();
    await noHorizontalScroll(page);
    await screenshot(page, 'task-verification-phone');

    await page.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    await page.getByTestId('patch-map').waitFor();
    await expect.poll(() => page.locator('.leaflet-overlay-pane svg path').count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('timeline').waitFor();
    await noHorizontalScroll(page);
    await screenshot(page, 'patch-phone');

    // The patch list: cards, not a table wider than the screen.
    await page.goto(`${sys.baseUrl}/#/patches`);
    await page.getByText(code).first().waitFor();
    expect(await page.locator('table').count()).toBe(0);
    expect(await page.getByRole('link', { name: new RegExp(code) }).textContent()).toContain('核查填报');
    await noHorizontalScroll(page);
    await screenshot(page, 'patches-phone');
    await page.close();
  });
});

describe('the patch list', () => {
  it("lists the region's patches in a table on a laptop and opens one", async () => {
    const { code } = await issueAndWaitForTask(sys, { category: 'new_non_agricultural_construction' });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.getByRole('menuitem', { name: '图斑' }).click();
    const row = page.locator('tr', { hasText: code });
    await row.waitFor();
    expect(await row.textContent()).toContain('新增非农建设类');
    await noRawKeys(page);
    await screenshot(page, 'patches-desktop');
    await row.click();
    await page.waitForURL((url) => url.hash.includes(`/patches/${code}/show`));
    await page.getByTestId('patch-map').waitFor();
    await page.close();
  });
});
