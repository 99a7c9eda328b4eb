/**
 * The administrators' screens for land layers and imagery services (docs/domain.md §13; 000 一, 004 三), in
 * Chromium. 参考图层: a GeoJSON and a zipped Shapefile uploaded and listed with their versions (a second upload
 * of the same kind is the next version, in force), the skipped rows with their reasons, a broken file's error on
 * the file field; an officer has no menu entry. 影像服务: a bad URL's error on its field, a WMTS service with a
 * 天地图-style key saved, and the patch page drawing tiles from it (served by a tiny local HTTP server here).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { PRJ, shapefileZip } from '../../scripts/synthetic/shapefile-writer';
import { loginAs, pixelsAtCentre, screenshot, withBrowserSystem } from '../support/browser';
import { DESKTOP, field, fill, noRawKeys } from '../support/e2e';
import { issueAndWaitForTask } from '../support/fixtures';
import { cell, handMu } from '../support/shapes';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

const [LNG, LAT] = [106.3, 38.5];

async function upload(page: Page, file: { name: string; buffer: Buffer }, kind: string, name?: string) {
  await page.locator('[data-testid=layers-page] input[type=file]').setInputFiles({ ...file, mimeType: 'application/octet-stream' });
  await field(page, 'kind').getByRole('combobox').click();
  await page.getByRole('option', { name: kind, exact: true }).click();
  if (name) await fill(page, 'name', name);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/layers') && r.request().method() === 'POST');
  await page.getByRole('button', { name: '上传并导入' }).click();
  return answered;
}

const row = (page: Page, kind: string, version: number) => page.locator(`[data-testid=layer-row][data-kind=${kind}][data-version="${version}"]`);

describe('参考图层', () => {
  it('uploads a GeoJSON and a zipped Shapefile, lists their versions, and shows a broken file’s error on the file field', async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'nx.admin');
    await page.getByRole('menuitem', { name: '参考图层' }).click();
    await page.getByTestId('layers-page').waitFor();

    // A GeoJSON farmland layer with one row that is no polygon: imported, the row skipped with its reason.
    const farmland = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: cell(LNG, LAT, 0.001, 0.001) },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [LNG, LAT] } },
      ],
    };
    const first = await upload(
      page,
      { name: '耕地.geojson', buffer: Buffer.from(JSON.stringify(farmland)) },
      '耕地（三调/年度变更调查）',
      '2025年度变更调查耕地',
    );
    expect(first.status()).toBe(201);
    const result = page.getByTestId('layer-upload-result');
    await expect.poll(async () => (await result.textContent()) ?? '').toContain('已导入第 1 版：1 个要素');
    expect(await result.textContent()).toContain('跳过 1 条记录');
    expect(await result.textContent()).toContain('第 2 条：');
    await row(page, 'farmland', 1).waitFor();
    const v1 = (await row(page, 'farmland', 1).textContent()) ?? '';
    expect(v1).toContain('耕地（三调/年度变更调查）');
    expect(v1).toContain('2025年度变更调查耕地');
    expect(v1).toContain('宁夏自然资源厅管理员');
    expect(v1).toContain('现行');
    // Its area: the 0.001° cell at 38.5° N, ellipsoidal, in mu.
    expect(v1).toContain(Number(handMu(LAT, 0.001, 0.001).toFixed(2)).toLocaleString('zh-CN'));

    // The same kind and name again: version 2, now in force.
    const second = await upload(page, { name: '耕地.geojson', buffer: Buffer.from(JSON.stringify(farmland)) }, '耕地（三调/年度变更调查）');
    expect(second.status()).toBe(201);
    await row(page, 'farmland', 2).waitFor();
    await expect.poll(() => row(page, 'farmland', 1).getAttribute('data-current')).toBe('false');
    expect(await row(page, 'farmland', 2).getAttribute('data-current')).toBe('true');

    // A zipped Shapefile red line.
    const zip = await shapefileZip([{ geometry: cell(LNG + 0.002, LAT, 0.001, 0.002), properties: { MC: '红线' } }], { prj: PRJ.cgcs2000, name: '红线' });
    expect((await upload(page, { name: '红线.zip', buffer: zip }, '生态保护红线', '生态保护红线')).status()).toBe(201);
    await row(page, 'red_line', 1).waitFor();
    expect(await row(page, 'red_line', 1).textContent()).toContain('生态保护红线');
    expect(await page.locator('[data-testid=layer-row]').count()).toBe(3);

    // A broken file: the API's message on the file field.
    const broken = await upload(page, { name: '坏.gpkg', buffer: Buffer.from('SQLite format 3\0garbage') }, '永久基本农田');
    expect(broken.status()).toBe(422);
    const message = ((await broken.json()) as { errors: Record<string, string> }).errors.file;
    expect(message).toBeTruthy();
    await expect.poll(async () => (await field(page, 'file').textContent()) ?? '').toContain(message);
    expect(await page.locator('[data-testid=layer-row]').count()).toBe(3);
    await noRawKeys(page);
    await screenshot(page, 'admin-layers-desktop');
    await page.close();
  });

  it('is not in an officer’s menu, nor 影像服务', async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.getByRole('menuitem', { name: '任务收件箱' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '参考图层' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '影像服务' }).count()).toBe(0);
    await page.close();
  });
});

// Tiles of a local imagery service: an SVG gradient (textured, far from the map's blank background).
const requested: string[] = [];
const TILE = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1b5e20"/><stop offset="1" stop-color="#8d6e63"/></linearGradient></defs><rect width="256" height="256" fill="url(#g)"/></svg>`;
let tiles: Server | undefined;
async function tileServer(): Promise<string> {
  tiles = createServer((req, res) => {
    requested.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'access-control-allow-origin': '*' });
    res.end(TILE);
  });
  await new Promise<void>((resolve) => tiles!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
}
afterAll(() => tiles?.close());

const BACKGROUND = [0xee, 0xf2, 0xf0];

/** An input of the first service in the list (inside an array input react-admin names it by its own source). */
const item = (page: Page, source: string) => page.locator('.RaSimpleFormIterator-line').first().locator(`.ra-input-${source}`);

describe('影像服务', () => {
  it('shows a bad URL’s error on its field, saves a WMTS service with its key, and the patch page draws its tiles', async () => {
    const origin = await tileServer();
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'nx.admin');
    await page.getByRole('menuitem', { name: '影像服务' }).click();
    await page.getByTestId('imagery-services-page').waitFor();
    await page.getByTestId('service-add').click();
    await item(page, 'name').locator('input').first().fill('测试影像');
    await item(page, 'url').locator('input').first().fill(`${origin}/tiles.png`);
    await item(page, 'attribution').locator('input').first().fill('测试影像服务');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(async () => (await item(page, 'url').textContent()) ?? '').toContain('服务地址须为 http(s) 地址');

    // WMTS placeholders and {tk}: the key is required, then saved.
    await item(page, 'url').locator('input').first().fill(`${origin}/wmts?LAYER=img&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}&tk={tk}`);
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(async () => (await item(page, 'key').textContent()) ?? '').toContain('请填写天地图密钥');
    await item(page, 'key').locator('input').first().fill('abc123');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('影像服务已保存').waitFor();
    const [saved] = await sys.sql`select services from region_imagery_services where region_code = '640000'`;
    expect(saved.services).toEqual([
      {
        name: '测试影像',
        url: `${origin}/wmts?LAYER=img&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}&tk={tk}`,
        attribution: '测试影像服务',
        phase: 'after',
        key: 'abc123',
      },
    ]);
    await noRawKeys(page);

    // The preview (after a reload: the page's CSP lets the saved service's origin through).
    await page.reload();
    await page.getByTestId('service-preview-toggle-0').click();
    await expect.poll(() => page.getByTestId('service-preview-0').locator('.leaflet-tile-loaded').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await screenshot(page, 'admin-imagery-services-desktop');

    // A patch of the region: the after map draws the service's tiles, the key and tile numbers in their places.
    const { code } = await issueAndWaitForTask(sys);
    requested.length = 0;
    await page.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    const after = page.getByTestId('imagery-after');
    await expect.poll(() => after.locator('.leaflet-tile-loaded').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.every((u) => /^\/wmts\?LAYER=img&TILEMATRIX=\d+&TILEROW=\d+&TILECOL=\d+&tk=abc123$/.test(u))).toBe(true);
    expect(await after.locator('.leaflet-control-attribution').textContent()).toContain('测试影像服务');
    const pixels = await pixelsAtCentre(page, after);
    expect(Math.hypot(...pixels.mean.map((v, i) => v - BACKGROUND[i]))).toBeGreaterThan(40);
    expect(pixels.distinct).toBeGreaterThan(1);
    await screenshot(page, 'admin-imagery-services-patch');
    await page.close();
  });
});
