/**
 * 合并 in Chromium (docs/domain.md §13): on the verification page the county's officer lists the county's open
 * patches (adjacent ones first, on the map with this one), ticks the neighbour, states the legality class and the
 * reason and submits; the city's reviewer sees the sources and their union on the map of 合并审核 and approves.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { completeTask, DESKTOP, field, noRawKeys, openTask } from '../support/e2e';
import { allowMerge, box, issueAndWaitForTask, openTaskOf } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

describe('merging patches on the map', () => {
  it('chooses the adjacent neighbour on the map, and the reviewer approves the union', async () => {
    await allowMerge(sys, true);
    const a = await issueAndWaitForTask(sys, { geometry: box(106.7, 106.701) });
    const b = await issueAndWaitForTask(sys, { geometry: box(106.701, 106.702) });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await openTask(page, sys.baseUrl, a.task.id, '核查填报');
    await page.getByTestId('merge-open').click();
    await page.getByTestId(`merge-candidate-${b.code}`).waitFor();
    // Adjacent ones first, and on the map with the patch.
    expect(await page.getByTestId('merge-candidates').locator('label').first().textContent()).toContain(b.code);
    expect(await page.getByTestId(`merge-candidate-${b.code}`).textContent()).toContain('相邻');
    await expect.poll(() => page.locator('[data-testid=split-map] path.split-child').count()).toBeGreaterThan(0);
    await page.getByLabel(b.code, { exact: true }).check();
    await page.getByTestId('merge-legality').selectOption('illegal');
    await page.getByTestId('merge-reason').fill('同一地块未批先建');
    await screenshot(page, 'merge-choose');
    const sent = page.waitForResponse((r) => r.url().endsWith(`/api/patches/${a.code}/merge`) && r.request().method() === 'POST');
    await page.getByTestId('merge-submit').click();
    expect((await sent).status()).toBe(201);
    await page.getByTestId('merge-sent').waitFor();
    await noRawKeys(page);
    await page.close();

    const review = await openTaskOf(sys, a.code, 'merge_review', 'yc.reviewer');
    const reviewer = await browser.newPage(DESKTOP);
    await loginAs(reviewer, sys.baseUrl, 'yc.reviewer');
    await openTask(reviewer, sys.baseUrl, review.id, '合并审核');
    await expect.poll(() => reviewer.locator('[data-testid=split-map] path.split-child').count()).toBe(2);
    const sources = (await reviewer.getByTestId('merge-sources').textContent()) ?? '';
    expect(sources).toContain(a.code);
    expect(sources).toContain(b.code);
    expect(await reviewer.getByTestId('merge-union').textContent()).toContain(`${a.code}_H1`);
    await noRawKeys(reviewer);
    await screenshot(reviewer, 'merge-review');
    await field(reviewer, 'decision').getByLabel('同意合并', { exact: true }).check();
    expect(await completeTask(reviewer)).toEqual({ decision: 'approve' });
    await eventually(async () => (await sys.sql`select count(*)::int as n from patches where code = ${`${a.code}_H1`}`)[0].n === 1);
    // The patch pages show the lineage both ways: the merged patch names its sources, a source the merged patch.
    await reviewer.goto(`${sys.baseUrl}/#/patches/${encodeURIComponent(`${a.code}_H1`)}/show`);
    const from = reviewer.getByTestId('lineage-merged-from');
    await from.waitFor();
    expect(await from.textContent()).toContain(b.code);
    expect(await reviewer.getByTestId('section-lineage').textContent()).toContain('合并关系');
    await eventually(async () => (await sys.sql`select merged_into from patches where code = ${b.code}`)[0].merged_into === `${a.code}_H1`);
    await reviewer.goto(`${sys.baseUrl}/#/patches/${encodeURIComponent(b.code)}/show`);
    await expect.poll(async () => (await reviewer.getByTestId('lineage-merged-into').textContent()) ?? '').toContain(`${a.code}_H1`);
    await noRawKeys(reviewer);
    await reviewer.close();
  });
});
