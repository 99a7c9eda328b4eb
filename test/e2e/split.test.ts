/**
 * 拆分 in Chromium (docs/domain.md §13): the county's officer uploads the children on the verification page and
 * sees them on the map over the patch (the server's refusal of a child outside the patch is shown there), the
 * city's reviewer sees them on the map of 拆分审核 and approves, and the children appear as patches of their own,
 * with the lineage both ways.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { completeTask, DESKTOP, field, noRawKeys, openTask } from '../support/e2e';
import { box, HALVES, issueAndWaitForTask, openTaskOf } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

const featureCollection = (geometries: unknown[]) =>
  Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: geometries.map((geometry) => ({ type: 'Feature', properties: {}, geometry })) }));

async function upload(page: Page, name: string, geometries: unknown[]) {
  await page.getByTestId('split-file').setInputFiles({ name, mimeType: 'application/geo+json', buffer: featureCollection(geometries) });
  await expect.poll(() => page.locator('[data-testid=split-map] path.split-child').count()).toBe(geometries.length);
}

describe('splitting a patch on the map', () => {
  it('uploads the children, shows them over the patch, and the reviewer approves them into patches of their own', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await openTask(page, sys.baseUrl, task.id, '核查填报');
    await page.getByTestId('split-open').click();
    await page.getByTestId('split-reason').fill('北侧已批准建设，南侧未批先建');
    // A child sticking out of the patch: the server refuses, and says which.
    await upload(page, 'outside.geojson', [HALVES[0], box(106.2806, 106.2812)]);
    await page.getByTestId('split-submit').click();
    await expect.poll(async () => (await page.getByTestId('split-error').textContent()) ?? '').toContain('子图斑2超出原图斑范围');
    await upload(page, 'children.geojson', HALVES);
    await screenshot(page, 'split-upload');
    const sent = page.waitForResponse((r) => r.url().endsWith(`/api/patches/${code}/split`) && r.request().method() === 'POST');
    await page.getByTestId('split-submit').click();
    expect((await sent).status()).toBe(201);
    await page.getByTestId('split-sent').waitFor();
    await noRawKeys(page);
    await page.close();

    const review = await openTaskOf(sys, code, 'split_review', 'yc.reviewer');
    const reviewer = await browser.newPage(DESKTOP);
    await loginAs(reviewer, sys.baseUrl, 'yc.reviewer');
    await openTask(reviewer, sys.baseUrl, review.id, '拆分审核');
    await expect.poll(() => reviewer.locator('[data-testid=split-map] path.split-child').count()).toBe(2);
    const listed = (await reviewer.getByTestId('split-children').textContent()) ?? '';
    expect(listed).toContain(`${code}_1`);
    expect(listed).toContain(`${code}_2`);
    expect(await reviewer.getByTestId('task-context').textContent()).toContain('北侧已批准建设，南侧未批先建');
    await noRawKeys(reviewer);
    await screenshot(reviewer, 'split-review');
    await field(reviewer, 'decision').getByLabel('同意拆分', { exact: true }).check();
    expect(await completeTask(reviewer)).toEqual({ decision: 'approve' });

    // The children are patches of their own: the parent lists them (on its map too), each names its parent.
    await eventually(async () => (await sys.sql`select count(*)::int as n from patches where parent_code = ${code}`)[0].n === 2);
    await reviewer.goto(`${sys.baseUrl}/#/patches/${encodeURIComponent(code)}/show`);
    await expect.poll(() => reviewer.getByTestId('lineage-child').count(), { timeout: 15_000 }).toBe(2);
    expect(await reviewer.locator('[data-testid=patch-lineage] path.split-child').count()).toBe(2);
    expect(await reviewer.getByTestId('section-lineage').textContent()).toContain('核查填报');
    await screenshot(reviewer, 'split-lineage');
    await reviewer.getByRole('link', { name: `${code}_1` }).click();
    await reviewer.getByTestId('patch-lineage').waitFor();
    expect(await reviewer.getByTestId('patch-lineage').textContent()).toContain(code);
    expect(reviewer.url()).toContain(encodeURIComponent(`${code}_1`));
    await noRawKeys(reviewer);
    await reviewer.close();
  });
});
