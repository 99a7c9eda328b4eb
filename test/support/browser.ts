/**
 * Debian's Chromium driven by playwright-core (no browser download). Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildAdminUiIfStale } from '../../scripts/build-ui';
import { startTestSystem, type TestSystem } from './system';
import { PROJECT_ROOT } from '../../infra/config';

export const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error("Chromium not found: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH");
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  // Pages prefer reduced motion (unless a test says otherwise): charts and transitions are drawn at their
  // final state, so screenshots show the real figures rather than bars half-way through growing.
  const newPage = browser.newPage.bind(browser);
  browser.newPage = (options = {}) => newPage({ reducedMotion: 'reduce', ...options });
  return browser;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Logs in through the login form, in Chinese unless told otherwise. */
export async function loginAs(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', 'wpzf2026');
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => !url.hash.startsWith('#/login'), { timeout: 15_000 });
}

/**
 * One e2e file's world: the built admin UI served by a whole test system, and Chromium; both started
 * before the file's tests and stopped after them.
 */
export function withBrowserSystem(ready: (sys: TestSystem, browser: Browser) => void, opts: Parameters<typeof startTestSystem>[0] = {}): void {
  let sys: TestSystem | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await buildAdminUiIfStale();
    sys = await startTestSystem({ ui: true, ...opts });
    browser = await launchBrowser();
    ready(sys, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });
}

/**
 * Collects the page's console errors and warnings (React's "does not recognize the prop", MUI's
 * "out-of-range value", uncaught exceptions) from now on; `list()` gives each with the location that
 * logged it. Failed requests (a 4xx the page expects) are left out: they are the API's answers, not the UI's faults.
 */
export function consoleErrors(page: Page, { warnings = true }: { warnings?: boolean } = {}): { list: () => string[]; clear: () => void } {
  let found: string[] = [];
  page.on('console', (msg) => {
    const type = msg.type();
    if (type !== 'error' && !(warnings && type === 'warning')) return;
    const text = msg.text();
    if (/^Failed to load resource: the server responded with a status of/.test(text)) return;
    const where = msg.location();
    found.push(`${type}: ${text.slice(0, 400)} (${where.url.split('/').pop()}:${where.lineNumber})`);
  });
  page.on('pageerror', (err) => found.push(`uncaught: ${err.message}`));
  return { list: () => [...found], clear: () => (found = []) };
}

/** The mean colour and spread of a square of `size` px at the centre of an element, as drawn on screen. */
export async function pixelsAtCentre(page: Page, element: Locator, size = 24) {
  const png = (await element.screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, size }) => {
      const img = new Image();
      img.src = `data:image/png;base64,${png}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const x0 = Math.round(img.width / 2 - size / 2);
      const y0 = Math.round(img.height / 2 - size / 2);
      const { data } = ctx.getImageData(x0, y0, size, size);
      const mean = [0, 0, 0];
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4) {
        mean[0] += data[i];
        mean[1] += data[i + 1];
        mean[2] += data[i + 2];
        seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      }
      const n = data.length / 4;
      return { mean: mean.map((v) => v / n), distinct: seen.size };
    },
    { png, size },
  );
}
