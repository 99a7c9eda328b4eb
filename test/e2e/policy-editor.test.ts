/**
 * The policy editor in Chromium: how fast it opens (the API answers in milliseconds, so the page's own
 * work is what an administrator waits for), labels shown whole, the preview table one line a row, the
 * version history not clipped, and 应用并下发 confirmed with a summary of what it moves.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { DESKTOP, noHorizontalScroll, PHONE } from '../support/e2e';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

/**
 * Opens the editor from the menu: the time to its last part and versions drawn, the API calls made (when
 * each started and ended), the main thread's long tasks, and whether a skeleton was shown before the editor.
 */
async function openEditor(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; observer?: PerformanceObserver; watcher?: MutationObserver; skeletonFirst?: boolean };
    w.observer?.disconnect();
    w.watcher?.disconnect();
    w.longTasks = [];
    w.skeletonFirst = undefined;
    w.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
    });
    w.observer.observe({ type: 'longtask' });
    // Which comes first: the skeleton, or the editor drawn in the same task as the click.
    w.watcher = new MutationObserver(() => {
      if (w.skeletonFirst !== undefined) return;
      if (document.querySelector('[data-testid="policy-editor-loading"]')) w.skeletonFirst = true;
      else if (document.querySelector('[data-testid="policy-editor"]')) w.skeletonFirst = false;
    });
    w.watcher.observe(document.body, { childList: true, subtree: true });
  });
  const calls: Array<{ url: string; at: number; done?: number }> = [];
  const started = Date.now();
  const onRequest = (r: Request) => {
    if (r.url().includes('/api/')) calls.push({ url: new URL(r.url()).pathname, at: Date.now() - started });
  };
  const onDone = (r: Request) => {
    const c = calls.find((x) => x.url === new URL(r.url()).pathname && x.done === undefined);
    if (c) c.done = Date.now() - started;
  };
  page.on('request', onRequest);
  page.on('requestfinished', onDone);
  await page.getByRole('menuitem', { name: '地区规则' }).click();
  await page.locator('[data-policy-path="recheck.forMonths"]').waitFor();
  await page.getByTestId('policy-versions').waitFor();
  const openMs = Date.now() - started;
  await expect.poll(() => calls.every((c) => c.done !== undefined)).toBe(true);
  page.off('request', onRequest);
  page.off('requestfinished', onDone);
  const { longTasks, skeletonFirst } = await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; skeletonFirst?: boolean };
    return { longTasks: w.longTasks, skeletonFirst: w.skeletonFirst };
  });
  return { openMs, calls, longTasks, skeletonFirst };
}

describe('the policy editor', () => {
  it('opens without a waterfall of requests or a long render, and shows its labels and tables whole', async () => {
    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'nx.admin');
    const runs = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${sys.baseUrl}/#/tasks`);
      await page.getByRole('menuitem', { name: '地区规则' }).waitFor();
      runs.push(await openEditor(page));
    }
    if (process.env.PROFILE_EDITOR) {
      await page.goto(`${sys.baseUrl}/#/tasks`);
      await page.getByRole('menuitem', { name: '地区规则' }).waitFor();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      await openEditor(page);
      const { profile } = (await cdp.send('Profiler.stop')) as {
        profile: {
          nodes: Array<{
            id: number;
            callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
            hitCount?: number;
            children?: number[];
          }>;
          samples: number[];
          timeDeltas: number[];
        };
      };
      const self = new Map<string, number>();
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      profile.samples.forEach((id, i) => {
        const n = byId.get(id)!;
        const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
        self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
      });
      console.log(
        [...self.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 40)
          .map(([k, v]) => `${v.toFixed(1)} ms ${k}`)
          .join('\n'),
      );
    }
    for (const r of runs) {
      console.log(`policy editor opened in ${r.openMs} ms; long tasks ${JSON.stringify(r.longTasks)} ms; calls ${JSON.stringify(r.calls)}`);
      // The policy, the region and the versions asked for at once: no call waits for another's answer
      // (the versions were asked for only once the editor had been drawn from the policy).
      const policyCalls = r.calls.filter((c) => c.url.startsWith('/api/regions/640000'));
      expect(policyCalls.map((c) => c.url).sort()).toEqual(['/api/regions/640000', '/api/regions/640000/policy', '/api/regions/640000/policy/versions']);
      expect(Math.max(...policyCalls.map((c) => c.at)), JSON.stringify(policyCalls)).toBeLessThanOrEqual(Math.min(...policyCalls.map((c) => c.done!)));
      // The editor is drawn in a deferred (interruptible) render after a skeleton, also from the cache —
      // not in the click's own task (one long task of 0.4–1.7 s before).
      expect(r.skeletonFirst).toBe(true);
    }
    await screenshot(page, 'policy-editor-open-desktop');
    expect(await clippedLabels(page)).toEqual([]);
    expect(await clippedBoxes(page, 'policy-versions')).toEqual([]);

    // The preview's table: one line a cell (it wrapped one character a line in the side column).
    await page.getByTestId('rule-deadlines.verification-day').fill('20');
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await page.getByTestId('preview-samples').waitFor();
    expect(await wrappedCells(page, 'preview-samples')).toEqual([]);
    expect(await wrappedCells(page, 'policy-versions', 'th')).toEqual([]);
    await screenshot(page, 'policy-editor-preview-desktop');
    await page.locator('[data-policy-path="deadlines.verification"]').screenshot({ path: `${ARTIFACTS}/policy-editor-rule-labels.png` });
    await page.getByTestId('policy-preview').screenshot({ path: `${ARTIFACTS}/policy-editor-preview-table.png` });

    // 应用并下发 asks first, summing up the change; cancelled, nothing is saved.
    let puts = 0;
    page.on('request', (r) => void (r.method() === 'PUT' && r.url().includes('/policy') && puts++));
    await page.getByTestId('policy-note').fill('宁夏：核查期限调整为次月20日');
    await page.getByRole('button', { name: '应用并下发' }).click();
    const confirm = page.getByTestId('apply-confirm');
    await expect.poll(async () => (await confirm.textContent()) ?? '').toContain('没有运行中流程的截止时间会改变');
    expect(await confirm.textContent()).toContain('修改说明：宁夏：核查期限调整为次月20日');
    expect(await page.getByTestId('apply-confirm-samples').textContent()).toMatch(/核查填报：\d{4}\/\d{2}\/25 → \d{4}\/\d{2}\/20/);
    await screenshot(page, 'policy-editor-confirm-desktop');
    await page.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => confirm.count()).toBe(0);
    expect(puts).toBe(0);
    await page.getByTestId('policy-dirty').waitFor();
    await page.close();
  });

  it('fits a phone with its labels whole', async () => {
    const page = await browser.newPage(PHONE);
    await loginAs(page, sys.baseUrl, 'nx.admin');
    await page.goto(`${sys.baseUrl}/#/policies/640000`);
    await page.locator('[data-policy-path="recheck.forMonths"]').waitFor();
    await page.getByTestId('policy-versions').waitFor();
    await noHorizontalScroll(page);
    expect(await clippedLabels(page)).toEqual([]);
    await screenshot(page, 'policy-editor-phone');
    await page.close();
  });
});

/** The editor's input labels cut short (an outlined label is cut with an ellipsis at its field's width). */
function clippedLabels(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-testid="policy-editor"] label.MuiInputLabel-root'))
      .filter((l) => l.scrollWidth > l.clientWidth + 1)
      .map((l) => `${l.textContent} (${l.scrollWidth} > ${l.clientWidth})`),
  );
}

/** Boxes around a table that cut it (it is wider than they are). */
function clippedBoxes(page: Page, testId: string) {
  return page.evaluate((id) => {
    const table = document.querySelector(`[data-testid="${id}"]`);
    const out: string[] = [];
    for (let el = table?.parentElement; el && el !== document.body; el = el.parentElement) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.tagName.toLowerCase()}.${el.className.split(' ')[0]}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return out;
  }, testId);
}

/** A table's cells whose text runs over more than one line. */
function wrappedCells(page: Page, testId: string, cells = 'th, td') {
  return page.evaluate(
    ([id, selector]) =>
      Array.from(document.querySelectorAll(`[data-testid="${id}"]`)).flatMap((t) =>
        Array.from(t.querySelectorAll(selector))
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
      ),
    [testId, cells] as const,
  );
}
