/**
 * 内业比对 on imagery (004 三): the patch and task pages show the batch's before/after GeoTIFFs side by side,
 * fitted to the patch with its outline and the imaging dates, pan and zoom kept together, and the centre's
 * CGCS2000 coordinates with a copy button; on a phone the imagery comes first. The images must actually be
 * drawn: the maps' pixels at the patch are read from a screenshot (decoded by the browser itself).
 */
import type { Browser, Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleErrors, loginAs, pixelsAtCentre, screenshot, withBrowserSystem } from '../support/browser';
import { patchWithImagery, patchWithTileArchives } from '../support/fixtures';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

const BACKGROUND = [0xee, 0xf2, 0xf0];
const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The outline's box relative to its map: equal in both maps when their views are the same. */
const outlineBox = (map: Locator) =>
  map.evaluate((el) => {
    const path = el.querySelector('.leaflet-overlay-pane path')!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return [path.left - box.left, path.top - box.top, path.width, path.height].map((v) => Math.round(v));
  });

/** The same view up to a pixel (the follower's centre is set from the leader's, rounded to whole pixels). */
const sameView = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 2);

describe('before/after imagery of a patch', () => {
  it('draws both images at the patch, labelled with their dates, with the centre coordinates to copy', async () => {
    const p = await patchWithImagery(sys);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', reducedMotion: 'reduce' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sys.baseUrl });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.goto(`${sys.baseUrl}/#/patches/${p.code}/show`);
    const before = page.getByTestId('imagery-before');
    const after = page.getByTestId('imagery-after');
    await expect.poll(() => before.getAttribute('data-state'), { timeout: 30_000 }).toBe('drawn');
    await expect.poll(() => after.getAttribute('data-state'), { timeout: 30_000 }).toBe('drawn');
    expect(await page.getByTestId('imagery-before-label').textContent()).toContain('前时相 2026/02/18');
    expect(await page.getByTestId('imagery-after-label').textContent()).toContain('后时相 2026/05/20');
    // Side by side on a desktop, each with the patch outline.
    const [b, a] = [await before.boundingBox(), await after.boundingBox()];
    expect(a!.x).toBeGreaterThan(b!.x + b!.width - 1);
    expect(await before.locator('.leaflet-overlay-pane path').count()).toBe(1);
    expect(await after.locator('.leaflet-overlay-pane path').count()).toBe(1);

    // The pixels at the patch: imagery (not the blank background), and a visible change between the two.
    const atBefore = await pixelsAtCentre(page, before);
    const atAfter = await pixelsAtCentre(page, after);
    expect(distance(atBefore.mean, BACKGROUND)).toBeGreaterThan(40);
    expect(distance(atAfter.mean, BACKGROUND)).toBeGreaterThan(40);
    expect(atBefore.distinct).toBeGreaterThan(20); // textured imagery, not a flat fill
    expect(atAfter.distinct).toBeGreaterThan(20);
    expect(distance(atBefore.mean, atAfter.mean)).toBeGreaterThan(40);
    // Before: farmland, green dominant; after: bare soil and roofs inside the patch.
    expect(atBefore.mean[1]).toBeGreaterThan(atBefore.mean[0]);
    expect(atAfter.mean[2]).toBeGreaterThan(atBefore.mean[2] + 40);

    // Pan and zoom together: zooming the before map moves the after map alike.
    const start = await outlineBox(after);
    await before.locator('.leaflet-control-zoom-in').click();
    await expect.poll(() => outlineBox(after)).not.toEqual(start);
    await expect.poll(async () => sameView(await outlineBox(after), await outlineBox(before))).toBe(true);
    const zoomed = await outlineBox(before);
    await after.dragTo(after, { sourcePosition: { x: 200, y: 150 }, targetPosition: { x: 120, y: 100 } });
    await expect.poll(() => outlineBox(before)).not.toEqual(zoomed);
    await expect.poll(async () => sameView(await outlineBox(after), await outlineBox(before))).toBe(true);

    // The centre in CGCS2000 longitude/latitude, copied with one click.
    expect(await page.getByTestId('patch-centre-value').textContent()).toBe('106.280500, 38.470500');
    await page.getByTestId('patch-centre-copy').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('106.280500, 38.470500');
    await screenshot(page, 'imagery-patch-page');
    expect(errors.list()).toEqual([]);
    await context.close();
  });

  it('heads the verification task page, and comes first on a phone', async () => {
    const p = await patchWithImagery(sys);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.goto(`${sys.baseUrl}/#/tasks/${p.task.id}/show`);
    const section = page.getByTestId('section-imagery');
    await section.waitFor();
    const before = section.getByTestId('imagery-before');
    const after = section.getByTestId('imagery-after');
    await expect.poll(() => after.getAttribute('data-state'), { timeout: 30_000 }).toBe('drawn');
    await expect.poll(() => before.getAttribute('data-state'), { timeout: 30_000 }).toBe('drawn');
    const form = await page.getByTestId('section-form').boundingBox();
    const [b, a] = [await before.boundingBox(), await after.boundingBox()];
    // Stacked on a phone, both above the form, within the screen's width.
    expect(a!.y).toBeGreaterThanOrEqual(b!.y + b!.height - 1);
    expect(a!.y + a!.height).toBeLessThan(form!.y);
    expect(b!.width).toBeLessThanOrEqual(390);
    const atAfter = await pixelsAtCentre(page, after);
    expect(distance(atAfter.mean, BACKGROUND)).toBeGreaterThan(40);
    expect(atAfter.distinct).toBeGreaterThan(20);
    await screenshot(page, 'imagery-task-phone');
    await page.close();
  });
});

describe('tile archives as before/after imagery', () => {
  it('draws a PMTiles (read by ranges) and an MBTiles (by its tiles route) at the patch, side by side, with their dates', async () => {
    const p = await patchWithTileArchives(sys);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', reducedMotion: 'reduce' });
    const errors = consoleErrors(page);
    const requests: { url: string; range?: string; auth: boolean }[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/imagery/')) requests.push({ url: r.url(), range: r.headers().range, auth: Boolean(r.headers().authorization) });
    });
    // No network beyond the app itself: every other host fails.
    await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.goto(`${sys.baseUrl}/#/patches/${p.code}/show`);
    const before = page.getByTestId('imagery-before');
    const after = page.getByTestId('imagery-after');
    await expect.poll(() => before.getAttribute('data-state'), { timeout: 60_000 }).toBe('drawn');
    await expect.poll(() => after.getAttribute('data-state'), { timeout: 60_000 }).toBe('drawn');
    expect(await page.getByTestId('imagery-before-label').textContent()).toContain('前时相 2026/02/18');
    expect(await page.getByTestId('imagery-after-label').textContent()).toContain('后时相 2026/05/20');
    const [b, a] = [await before.boundingBox(), await after.boundingBox()];
    expect(a!.x).toBeGreaterThan(b!.x + b!.width - 1);
    expect(await after.locator('.leaflet-overlay-pane path').count()).toBe(1);
    const atBefore = await pixelsAtCentre(page, before);
    const atAfter = await pixelsAtCentre(page, after);
    expect(distance(atBefore.mean, BACKGROUND)).toBeGreaterThan(40);
    expect(distance(atAfter.mean, BACKGROUND)).toBeGreaterThan(40);
    expect(atBefore.distinct).toBeGreaterThan(20);
    expect(atAfter.distinct).toBeGreaterThan(20);
    expect(atBefore.mean[1]).toBeGreaterThan(atBefore.mean[0]); // farmland
    expect(atAfter.mean[2]).toBeGreaterThan(atBefore.mean[2] + 40); // soil and roofs
    // The PMTiles was read by HTTP ranges of its file, the MBTiles tile by tile; both with the session's token.
    expect(requests.some((r) => r.url.endsWith(`/imagery/${p.before.id}`) && r.range?.startsWith('bytes=') && r.auth)).toBe(true);
    expect(requests.some((r) => r.url.includes(`/imagery/${p.after.id}/tiles/`) && r.auth)).toBe(true);
    expect(requests.every((r) => !r.url.includes('token'))).toBe(true);
    await screenshot(page, 'imagery-tile-archives');
    expect(errors.list()).toEqual([]);
    await page.close();
  });
});
