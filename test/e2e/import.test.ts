/** The 导入批次 page in a real browser: choose a file, upload, watch the progress bar reach the end, read the report. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminUiIfStale } from '../../scripts/build-ui';
import { launchBrowser, loginAs, screenshot } from '../support/browser';
import { featureCollection, provincialFeature } from '../support/imports';
import { startTestSystem, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-ui-import-'));
  process.env.UPLOADS_DIR = path.join(dir, 'uploads');
  await buildAdminUiIfStale();
  sys = await startTestSystem({ ui: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the 导入批次 page', () => {
  it('uploads a batch file, shows the progress bar to the end and the rejected features with reasons', async () => {
    const codes = Array.from({ length: 40 }, () => sys.unique('U'));
    const features = codes.map((c) => provincialFeature(c, '640104'));
    features.push(provincialFeature(sys.unique('U'), '640199'));
    const file = path.join(dir, '三月批次.geojson');
    writeFileSync(file, featureCollection(features));
    const batchCode = sys.unique('UI');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    await loginAs(page, sys.baseUrl, 'admin');
    await page.goto(`${sys.baseUrl}/#/imports/create`);
    await page.waitForSelector('text=批次文件');
    await page.setInputFiles('input[type="file"]', file);
    await page.fill('input[name="batchCode"]', batchCode);
    await page.fill('input[name="imagedOn"]', '2026-03-01');
    await page.fill('input[name="issuedOn"]', '2026-03-15');
    await screenshot(page, 'import-form');
    await page.click('button[type="submit"]');

    await page.waitForURL(/#\/imports\/IMP\w+\/show/, { timeout: 20_000 });
    await page.waitForSelector('text=已完成', { timeout: 60_000 });
    await expect.poll(async () => page.locator('[data-testid="import-progress"]').textContent()).toBe('已处理 41 / 41 个要素');
    await page.waitForSelector('text=拒收的要素（1）');
    expect(await page.locator('tr', { hasText: '640199' }).textContent()).toContain('未知的县级行政区：640199');
    expect(await page.textContent('body')).toContain('T+10 逾期 4 天');
    await screenshot(page, 'import-report');
    const [{ n }] = await sys.sql`select count(*)::int as n from patches where batch_code = ${batchCode}`;
    expect(n).toBe(40);
    // 成果上报: the batch's patches as a zipped shapefile, downloaded from the page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-shp').click()]);
    expect(download.suggestedFilename()).toBe(`卫片图斑成果_批次${batchCode}.zip`);
    const saved = path.join(dir, 'batch-export.zip');
    await download.saveAs(saved);
    const zip = await JSZip.loadAsync(readFileSync(saved));
    expect(Object.keys(zip.files).sort()).toEqual(['wptb.cpg', 'wptb.dbf', 'wptb.prj', 'wptb.shp', 'wptb.shx']);
    // 40 records of 8-byte index entries after the 100-byte header.
    expect((await zip.file('wptb.shx')!.async('nodebuffer')).length).toBe(100 + 8 * 40);
    await page.close();
  });

  it('overrides attribute names of the preset field by field and as JSON', async () => {
    // A province's file that calls the patch code TBBH and the type by number.
    const codes = Array.from({ length: 3 }, () => sys.unique('V'));
    const features = codes.map((c) => {
      const f = provincialFeature(c, '640104', { TBLX: '7' });
      const { JCBH, ...rest } = f.properties;
      return { ...f, properties: { ...rest, TBBH: JCBH } };
    });
    const file = path.join(dir, '字段不同.geojson');
    writeFileSync(file, featureCollection(features));
    const batchCode = sys.unique('UI');
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    await loginAs(page, sys.baseUrl, 'admin');
    await page.goto(`${sys.baseUrl}/#/imports/create`);
    await page.setInputFiles('input[type="file"]', file);
    await page.fill('input[name="batchCode"]', batchCode);
    await page.getByTestId('mapping-overrides').getByText('字段映射覆盖').click();
    expect(await page.getAttribute('input[name="mapping.code"]', 'placeholder')).toBe('JCBH');
    await page.fill('input[name="mapping.code"]', 'TBBH');
    await page.fill('textarea[name="mappingJson"]', '{"categoryValues": {"7": "other_change"}');
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=不是合法的 JSON 对象');
    await page.fill('textarea[name="mappingJson"]', '{"categoryValues": {"7": "other_change"}}');
    await screenshot(page, 'import-mapping-overrides');
    await page.click('button[type="submit"]');
    await page.waitForURL(/#\/imports\/IMP\w+\/show/, { timeout: 20_000 });
    await page.waitForSelector('text=已完成', { timeout: 60_000 });
    const rows = await sys.sql`select code, category from patches where batch_code = ${batchCode} order by code`;
    expect(rows.map((r) => [r.code, r.category])).toEqual(codes.sort().map((c) => [c, 'other_change']));
    await page.close();
  });

  it("shows the API's field errors on the form", async () => {
    const file = path.join(dir, 'mercator.geojson');
    writeFileSync(file, featureCollection([provincialFeature(sys.unique('U'))], 'EPSG:3857'));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await loginAs(page, sys.baseUrl, 'admin');
    await page.goto(`${sys.baseUrl}/#/imports/create`);
    await page.setInputFiles('input[type="file"]', file);
    await page.fill('input[name="batchCode"]', sys.unique('UI'));
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=坐标系 EPSG:3857 不受支持', { timeout: 20_000 });
    expect(page.url()).toContain('#/imports/create');
    await screenshot(page, 'import-refused');
    await page.close();
  });
});
