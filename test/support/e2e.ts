/** Shared pieces of the browser tests: viewports, form fields by source, opening and submitting a task. */
import type { Page, Request } from 'playwright-core';
import { expect } from 'vitest';

export const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' };
export const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** A react-admin input by its source ("determination.legality" → .ra-input-determination\.legality). */
export const field = (page: Page, source: string) => page.locator(`.ra-input-${source.replace(/\./g, '\\.')}`);

/** Fills a text input or textarea of a react-admin input. */
export async function fill(page: Page, source: string, value: string) {
  await field(page, source).locator('input:not([type=hidden]):not([aria-hidden=true]), textarea:not([aria-hidden=true])').first().fill(value);
}

/** Turns a react-admin BooleanInput (a switch) on or off. */
export async function toggle(page: Page, source: string, on = true) {
  const input = field(page, source).locator('input[type=checkbox]').first();
  if ((await input.isChecked()) !== on) await input.click();
}

export async function openTask(page: Page, baseUrl: string, id: string, heading: string) {
  await page.goto(`${baseUrl}/#/tasks/${encodeURIComponent(id)}/show`);
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
  await page.getByRole('button', { name: '提交' }).waitFor();
}

/** Submits the task form; returns the payload sent and the API's status. */
export async function submitTask(page: Page): Promise<{ payload: Record<string, unknown>; status: number }> {
  const sent = page.waitForRequest((r: Request) => r.method() === 'POST' && r.url().endsWith('/complete'));
  await page.getByRole('button', { name: '提交' }).click();
  const request = await sent;
  const response = await request.response();
  return { payload: request.postDataJSON(), status: response?.status() ?? 0 };
}

/** Submits and expects the task done: 200, back in the inbox with the confirmation. */
export async function completeTask(page: Page) {
  const sent = await submitTask(page);
  expect(sent.status, JSON.stringify(sent.payload)).toBe(200);
  await page.waitForURL((url) => url.hash.startsWith('#/tasks') && !url.hash.includes('/show'), { timeout: 15_000 });
  return sent.payload;
}

/** No message key shown as such (a missing translation shows its key). */
export async function noRawKeys(page: Page) {
  const text = await page.locator('body').innerText();
  expect(
    text.match(
      /\b(?:app|form|inbox|task|enums|evidence|audit|patch|resources|ra|case|quota|menu|notifications|supervision|users|regions|policy|extension|split|layers|imageryServices)\.[a-zA-Z_.]+[a-zA-Z]/g,
    ) ?? [],
  ).toEqual([]);
}

/** The page is no wider than the screen; if it is, the message names the deepest elements reaching furthest right. */
export async function noHorizontalScroll(page: Page) {
  const { scroll, client, culprits } = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${(el as HTMLElement).dataset?.testid ? `[data-testid=${(el as HTMLElement).dataset.testid}]` : ''}.${String(
        el.getAttribute('class') ?? '',
      )
        .split(' ')
        .slice(0, 2)
        .join('.')}`;
    const all = Array.from(document.body.querySelectorAll('*'));
    const right = (el: Element) => el.getBoundingClientRect().right;
    const max = Math.max(0, ...all.map(right));
    // The deepest elements that reach the furthest right: none of their children does.
    const deepest = all.filter((el) => right(el) >= max - 1 && right(el) > client + 1 && !Array.from(el.children).some((c) => right(c) >= max - 1));
    return {
      scroll: document.documentElement.scrollWidth,
      client,
      culprits: deepest.slice(0, 6).map((el) => `${name(el)} (in ${name(el.parentElement ?? el)}) → ${Math.round(right(el))}px`),
    };
  });
  expect(scroll, `wider than the screen: ${culprits.join('; ')}`).toBeLessThanOrEqual(client + 1);
}

/** Chinese characters and punctuation (CJK symbols, ideographs, full-width forms). */
export const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

/**
 * The visible texts with Chinese characters or punctuation outside user content (names, numbers, notes:
 * what the UI marks with data-user-content): in an English UI there should be none.
 */
export async function cjkOutsideUserContent(page: Page): Promise<string[]> {
  return page.evaluate((source) => {
    const cjk = new RegExp(source);
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      const el = node.parentElement;
      if (!cjk.test(text) || !el || el.closest('[data-user-content], script, style, noscript')) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      found.push(text.trim());
    }
    return found;
  }, CJK.source);
}

export async function noCjkOutsideUserContent(page: Page) {
  expect(await cjkOutsideUserContent(page)).toEqual([]);
}

/** Switches the UI to English with the language menu of the app bar. */
export async function switchToEnglish(page: Page) {
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await page.getByRole('button', { name: 'English' }).waitFor();
}
