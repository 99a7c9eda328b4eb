/**
 * The patch map with a configured tile source (MAP_TILE_URL): tiles are requested from that template,
 * and the polygon is still drawn. Without it (every other test) the map has no tiles at all.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminUiIfStale } from '../../scripts/build-ui';
import { launchBrowser, loginAs } from '../support/browser';
import { issueAndWaitForTask } from '../support/fixtures';
import { startTestSystem, type TestSystem } from '../support/system';

// Nothing listens on port 9 (discard): the tiles fail to load, which is fine offline; their URLs are what counts.
const TILES = 'http://127.0.0.1:9/tiles';

let sys: TestSystem;
let browser: Browser;
beforeAll(async () => {
  await buildAdminUiIfStale();
  process.env.MAP_TILE_URL = `${TILES}/{z}/{x}/{y}.png`;
  process.env.MAP_TILE_ATTRIBUTION = '测试底图';
  sys = await startTestSystem({ ui: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  delete process.env.MAP_TILE_URL;
  delete process.env.MAP_TILE_ATTRIBUTION;
  await browser?.close();
  await sys?.stop();
});

describe('a configured tile source', () => {
  it('is announced by GET /api/config and used by the patch map', async () => {
    const token = await sys.login('xq.officer');
    const config = await sys.http('GET', '/api/config', { token });
    expect(config.body).toEqual({ tileUrl: `${TILES}/{z}/{x}/{y}.png`, tileAttribution: '测试底图' });

    const { code } = await issueAndWaitForTask(sys);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    await page.getByTestId('patch-map').waitFor();
    await expect.poll(() => page.locator('.leaflet-overlay-pane svg path').count()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.locator('.leaflet-tile').count()).toBeGreaterThan(0);
    const sources = await page.locator('.leaflet-tile').evaluateAll((tiles) => tiles.map((t) => (t as HTMLImageElement).src));
    expect(sources.every((src) => /^http:\/\/127\.0\.0\.1:9\/tiles\/\d+\/\d+\/\d+\.png$/.test(src))).toBe(true);
    expect(await page.locator('.leaflet-control-attribution').textContent()).toContain('测试底图');
    await page.close();
  });
});
