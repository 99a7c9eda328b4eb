/**
 * The measured areas as a suggestion in the verification form (docs/domain.md §13), in Chromium: the officer of
 * a patch measured on 兴庆区's farmland and the region's approval layer sees the measured areas, the approval with
 * its overlap and share, the layers used and "合法：用地审批 … 覆盖图斑 100%"; the areas start from the
 * measurement; changing one asks for the reason (naming the field); 采用测算面积 puts the measured ones back; with
 * a reason the form submits and the patch page shows 面积经核查修正 with it. A patch no layer covers shows
 * 无参考图层测算. The statistics page then sets the measured areas beside the declared ones. Screenshots in test-artifacts/.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { completeTask, DESKTOP, field, fill, noRawKeys, openTask } from '../support/e2e';
import { issueAndWaitForTask, issueMeasured, patchRow, uploadGeoJsonLayer } from '../support/fixtures';
import { cell } from '../support/shapes';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

const areaInput = (page: Parameters<typeof field>[0], k: string) => field(page, `determination.areas.${k}`).locator('input').first();

describe('the verification form with the measured areas', () => {
  it('shows the measurement, fills the areas, asks a reason for a changed one and submits', async () => {
    await uploadGeoJsonLayer(sys, { regionCode: '640104', kind: 'farmland', name: '2025年度变更调查耕地' }, [
      { type: 'Feature', properties: {}, geometry: cell(106.2795, 38.47, 0.001, 0.002) },
    ]);
    await uploadGeoJsonLayer(sys, { regionCode: '640000', kind: 'approval', name: '用地审批' }, [
      { type: 'Feature', properties: { PZWH: '宁政土批〔2026〕3号', PZRQ: '2026-01-15' }, geometry: cell(106.2799, 38.4699, 0.0012, 0.0012) },
    ]);
    const { code, task, measurement } = await issueMeasured(sys);
    const suggested = measurement.suggestedAreas as Record<string, number>;
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await openTask(page, sys.baseUrl, task.id, '核查填报');

    const panel = page.getByTestId('measurement');
    await panel.waitFor();
    expect(await page.getByTestId('legality-suggestion').textContent()).toBe('合法：用地审批 宁政土批〔2026〕3号 覆盖图斑 100%');
    expect(await page.getByTestId('measured-approvals').textContent()).toContain('宁政土批〔2026〕3号（2026-01-15）');
    expect(await page.getByTestId('measured-layers').textContent()).toContain('耕地 2025年度变更调查耕地 v1');
    expect(await page.getByTestId('measured-areas').textContent()).toContain(`耕地 ${suggested.farmlandMu}`);
    // The areas start from the measurement.
    expect(Number(await areaInput(page, 'totalMu').inputValue())).toBe(suggested.totalMu);
    expect(Number(await areaInput(page, 'farmlandMu').inputValue())).toBe(suggested.farmlandMu);
    expect(await page.getByTestId('override-reason').count()).toBe(0);
    await noRawKeys(page);

    // A changed figure asks for the reason, naming the field; the form does not submit without it.
    await areaInput(page, 'farmlandMu').fill('2');
    await page.getByTestId('override-reason').waitFor();
    expect(await page.getByTestId('override-reason').textContent()).toContain('耕地面积与测算面积不同');
    await field(page, 'determination.legality').getByLabel('其他').check();
    await field(page, 'determination.subType').click();
    await page.getByRole('option', { name: '实地未变化' }).click();
    let posted = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/complete')) posted++;
    });
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await page.getByTestId('override-reason').textContent()) ?? '').toContain('请说明修正理由');
    expect(posted).toBe(0);
    await screenshot(page, 'form-measured-areas-override');

    // 采用测算面积 puts the measured areas back, and the reason is no longer asked.
    await page.getByTestId('accept-measured').click();
    expect(Number(await areaInput(page, 'farmlandMu').inputValue())).toBe(suggested.farmlandMu);
    await expect.poll(() => page.getByTestId('override-reason').count()).toBe(0);

    // Changed again, with the reason: submitted and kept.
    await areaInput(page, 'farmlandMu').fill('2');
    await fill(page, 'determination.areasOverrideReason', '实地核查：西侧耕地已建成道路');
    const payload = (await completeTask(page)) as { determination: { areas: Record<string, number>; areasOverrideReason: string } };
    expect(payload.determination).toMatchObject({ areas: { farmlandMu: 2 }, areasOverrideReason: '实地核查：西侧耕地已建成道路' });
    expect((await patchRow(sys, code)).determination).toMatchObject({ suggestedAreas: suggested, areasOverrideReason: '实地核查：西侧耕地已建成道路' });

    await page.goto(`${sys.baseUrl}/#/patches/${encodeURIComponent(code)}/show`);
    const overridden = page.getByTestId('areas-overridden');
    await overridden.waitFor();
    expect(await page.getByTestId('determination-view').textContent()).toContain('面积经核查修正');
    expect(await overridden.textContent()).toContain('实地核查：西侧耕地已建成道路');
    expect(await overridden.textContent()).toContain(`图层测算：总面积 ${suggested.totalMu}`);
    await screenshot(page, 'patch-areas-overridden');

    // The statistics page sets the measured areas beside the declared ones, and counts the corrected determination.
    await page.goto(`${sys.baseUrl}/#/statistics`);
    const table = page.getByTestId('statistics-measured');
    await table.waitFor();
    const total = table.locator('tbody tr').last();
    expect(await total.locator('td').first().textContent()).toBe('合计');
    expect(await total.locator('td').nth(3).textContent()).toBe('2');
    expect(await total.locator('td').last().textContent()).toBe('1');
    await page.close();
  });

  it('states 无参考图层测算 where no layer measured the patch, and fills the issued area', async () => {
    const { task } = await issueAndWaitForTask(sys, { countyCode: '371502', areaMu: 6 });
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'dcf.officer');
    await openTask(page, sys.baseUrl, task.id, '核查填报');
    await page.getByTestId('no-measurement').waitFor();
    expect(await page.getByTestId('no-measurement').textContent()).toContain('无参考图层测算');
    expect(Number(await areaInput(page, 'totalMu').inputValue())).toBe(6);
    expect(await page.getByTestId('measurement').count()).toBe(0);
    await page.close();
  });
});
