/** The statistics page in Chromium: figures of the supervisor's region, drill-down, report download. */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { noHorizontalScroll, PHONE } from '../support/e2e';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from '../support/fixtures';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

describe('统计分析', () => {
  it("shows the region's figures, drills down to a county, and downloads the annual report", async () => {
    for (const legality of ['legal', 'illegal'] as const) {
      const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', areaMu: 6 });
      await completeAs(sys, 'na.officer', task.id, determination(legality, { totalMu: 6, farmlandMu: legality === 'illegal' ? 2 : 0 }));
      await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, code, 'review', 'fj.reviewer')).id, { decision: 'pass' });
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    await loginAs(page, sys.baseUrl, 'fj.reviewer');
    await page.goto(`${sys.baseUrl}/#/statistics`);
    await page.waitForSelector('[data-testid="statistics-children"]');
    expect(await page.getByTestId('kpi-下发图斑').textContent()).toBe('2');
    await screenshot(page, 'statistics-province');
    // Quanzhou, then Nan'an.
    await page.locator('[data-testid="statistics-children"] tr', { hasText: '泉州市' }).click();
    await page.locator('[data-testid="statistics-children"] tr', { hasText: '南安市' }).click();
    await page.waitForSelector('text=南安市 ·');
    expect(await page.getByTestId('kpi-违法').textContent()).toBe('1');
    // 省级审核中瞒报率 (002 五(三)): over what the province reviewed, and what it found.
    await page.getByTestId('kpi-省级审核中瞒报率').waitFor();
    expect(await page.locator('body').innerText()).toContain('省级审核或实地核查 2 个，省级发现瞒报 0 个');
    await screenshot(page, 'statistics-county');
    // Legal and other areas are shown too.
    expect(await page.getByTestId('kpi-合法').textContent()).toBe('1');
    expect(await page.locator('text=合法面积（亩） 6').count()).toBeGreaterThan(0);
    // A month: this one holds both patches, another none.
    const month = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(5, 7));
    const pick = async (label: string) => {
      await page.getByTestId('period').locator('[role="combobox"]').click();
      await page.getByRole('option', { name: label, exact: true }).click();
    };
    await pick(`${month}月`);
    await expect.poll(async () => page.getByTestId('statistics-period').textContent()).toContain(`-${String(month).padStart(2, '0')}-01 至`);
    expect(await page.getByTestId('kpi-下发图斑').textContent()).toBe('2');
    await pick(`${month === 1 ? 2 : month - 1}月`);
    await expect.poll(async () => page.getByTestId('kpi-下发图斑').textContent()).toBe('0');
    await pick(month <= 6 ? '上半年' : '下半年');
    await expect.poll(async () => page.getByTestId('kpi-下发图斑').textContent()).toBe('2');
    await screenshot(page, 'statistics-half-year');
    await pick('全年');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-annual-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^南安市\d{4}年度卫片执法成果\.xlsx$/);
    // 填报率 and 差错率 beside 月清: both patches filed, none sent back.
    expect(await page.getByTestId('kpi-填报率').textContent()).toMatch(/^100(\.0+)?%$/);
    expect(await page.getByTestId('kpi-差错率').textContent()).toMatch(/^0(\.0+)?%$/);
    // 成果上报: the county's patches of the year as a GeoPackage, downloaded from the page.
    const [gpkg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gpkg').click()]);
    expect(gpkg.suggestedFilename()).toMatch(/^卫片图斑成果_350583_\d{4}-01-01至\d{4}-01-01\.gpkg$/);
    const saved = path.join(os.tmpdir(), `wpzf-e2e-${process.pid}.gpkg`);
    await gpkg.saveAs(saved);
    const db = new Database(saved, { readonly: true });
    expect((db.prepare('select count(*) as n from wptb').get() as { n: number }).n).toBe(2);
    expect((db.prepare('select PDJG from wptb order by PDJG').all() as Array<{ PDJG: string }>).map((r) => r.PDJG)).toEqual(['合法', '违法']);
    db.close();
    rmSync(saved, { force: true });
    await page.close();
  });

  it('tells a holder of the classified permission that military patches were left out of the export', async () => {
    await issueAndWaitForTask(sys, { military: true }, { asUser: 'xq.secret' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    await loginAs(page, sys.baseUrl, 'xq.secret');
    await page.goto(`${sys.baseUrl}/#/statistics`);
    await page.waitForSelector('[data-testid="statistics-children"], [data-testid="kpi-下发图斑"]');
    const [gpkg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gpkg').click()]);
    expect(gpkg.suggestedFilename()).toMatch(/\.gpkg$/);
    await expect.poll(async () => page.locator('body').innerText()).toMatch(/[1-9]\d* 个军事用地图斑未导出，须经涉密渠道单独报送/);
    await page.close();
  });

  it('fits a phone (390×844)', async () => {
    const page = await browser.newPage(PHONE);
    await loginAs(page, sys.baseUrl, 'fj.reviewer');
    await page.goto(`${sys.baseUrl}/#/statistics`);
    await page.waitForSelector('[data-testid="statistics-children"]');
    await noHorizontalScroll(page);
    await screenshot(page, 'statistics-phone');
    await page.close();
  });
});
