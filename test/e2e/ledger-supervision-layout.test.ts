/**
 * The quota ledger names its regions (not their codes) on one line a cell; supervision on a phone keeps the
 * drill-down and the overdue tasks in view (no table scrolling sideways); nothing overdue shows a sentence,
 * not an empty chart. Screenshots in test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { DESKTOP, noHorizontalScroll, PHONE } from '../support/e2e';
import { issueAndWaitForTask } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

/** Elements inside a test id that scroll sideways (their content is wider than they are). */
function scrollingSideways(page: Page, testId: string) {
  return page.evaluate((id) => {
    const root = document.querySelector(`[data-testid="${id}"]`);
    if (!root) return [`no ${id}`];
    const out: string[] = [];
    for (let el: Element | null = root; el && el !== document.body; el = el.parentElement) {
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  }, testId);
}

/** Cells of a table whose text runs over more than one line (but those of the given columns). */
function wrappedCells(page: Page, testId: string, except: string[] = []) {
  return page.evaluate(
    ([id, skip]) =>
      Array.from(document.querySelectorAll(`[data-testid="${id}"] th, [data-testid="${id}"] td`))
        .filter((c) => !skip.some((k) => c.classList.contains(`column-${k}`)))
        .filter((c) => {
          // The lines its text runs over: the tops of its text's boxes more than half a line apart.
          const tops: number[] = [];
          const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(n);
            for (const r of Array.from(range.getClientRects())) if (r.width > 0) tops.push(r.top);
          }
          return tops.length > 0 && Math.max(...tops) - Math.min(...tops) > 8;
        })
        .map((c) => c.textContent ?? ''),
    [testId, except] as const,
  );
}

describe('the quota ledger', () => {
  it('names the case county and the account holder, one line a cell', async () => {
    // Two bookings as the case workflow makes them: a county's farmland and (Jiangmen-like) a city's plan quota.
    await sys.sql`insert into quota_ledger (entry_key, county_code, region_code, account, kind, area_mu, case_no, patch_code, reason, actor_name)
      values ('layout-1', '640104', '640104', 'farmland', 'freeze', 6.5, 'AJ6401042026000001', '640104202603000001', '立案冻结违法占用耕地面积', '兴庆区核查员'),
             ('layout-2', '640104', '640100', 'construction_plan', 'freeze', 1.2, 'AJ6401042026000001', '640104202603000001', '冻结地市新增建设用地计划指标', '系统')`;
    const api = await sys.http('GET', `/api/quota/ledger?filter=${encodeURIComponent(JSON.stringify({ caseNo: 'AJ6401042026000001' }))}`, {
      token: await sys.login('nx.admin'),
    });
    expect(api.body.map((e: Record<string, unknown>) => [e.countyName, e.regionName]).sort()).toEqual([
      ['兴庆区', '兴庆区'],
      ['兴庆区', '银川市'],
    ]);

    for (const device of [DESKTOP, PHONE]) {
      const page = await browser.newPage(device);
      await loginAs(page, sys.baseUrl, 'nx.admin');
      await page.goto(`${sys.baseUrl}/#/quota/ledger`);
      const ledger = page.getByTestId('quota-ledger');
      await ledger.getByText('AJ6401042026000001').first().waitFor();
      const county = await ledger.locator('td.column-countyCode').allTextContents();
      const holder = await ledger.locator('td.column-regionCode').allTextContents();
      expect(county).toEqual(['兴庆区', '兴庆区']);
      expect(holder.sort()).toEqual(['兴庆区', '银川市']);
      // The reason wraps, the case has its patch under it; nothing else wraps (it wrapped one character a line).
      expect(await wrappedCells(page, 'quota-ledger', ['reason', 'caseNo'])).toEqual([]);
      expect(await ledger.locator('td.column-caseNo [data-field="patchCode"]').first().textContent()).toBe('640104202603000001');
      await noHorizontalScroll(page);
      await screenshot(page, `quota-ledger-names-${device === PHONE ? 'phone' : 'desktop'}`);
      await page.close();
    }
  });
});

describe('supervision', () => {
  it('on a phone keeps the drill-down and the overdue tasks in view', async () => {
    const late = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: '2026-03-05T02:00:00Z' });
    await eventually(async () => (await sys.sql`select overdue from tasks where id = ${late.task.id}`)[0].overdue === true);
    const page = await browser.newPage(PHONE);
    await loginAs(page, sys.baseUrl, 'yc.supervisor');
    await page.goto(`${sys.baseUrl}/#/supervision`);
    const row = page.getByTestId('overdue-by-region').locator('tr[data-region="640104"]');
    await row.waitFor();
    await page.locator(`tr[data-task-id="${late.task.id}"]`).waitFor();
    await noHorizontalScroll(page);
    expect(await scrollingSideways(page, 'overdue-by-region')).toEqual([]);
    expect(await scrollingSideways(page, 'overdue-tasks')).toEqual([]);
    const drill = row.getByRole('button', { name: '下钻' });
    const box = await drill.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box)).toBe(true);
    // The task's region and assignee under its subject; how long overdue in its own column.
    const task = page.locator(`tr[data-task-id="${late.task.id}"]`);
    expect(await task.getByTestId('overdue-task-details').textContent()).toContain('兴庆区');
    expect(await task.textContent()).toMatch(/\d+ 天/);
    await screenshot(page, 'supervision-drilldown-phone');

    await drill.click();
    await expect.poll(async () => (await page.getByTestId('region-breadcrumbs').textContent()) ?? '').toContain('兴庆区');
    await page.locator(`tr[data-task-id="${late.task.id}"]`).waitFor();
    expect(await scrollingSideways(page, 'overdue-tasks')).toEqual([]);
    await noHorizontalScroll(page);
    await page.close();
  });

  it('with nothing overdue shows a sentence, no empty chart', async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'lc.supervisor');
    await page.goto(`${sys.baseUrl}/#/supervision`);
    await page.getByTestId('overdue-by-region').waitFor();
    expect(await page.getByTestId('overdue-total').textContent()).toBe('0');
    // No chart is drawn at all (the by-age chart's empty axis read "0.0…").
    expect(await page.getByTestId('supervision-page').locator('svg text').allTextContents()).toEqual([]);
    expect(await page.getByText('没有逾期任务').count()).toBeGreaterThan(0);
    await screenshot(page, 'supervision-empty-desktop');
    await page.close();
  });
});
