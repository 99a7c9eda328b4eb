/**
 * The admin UI as `npm start` serves it: a production build (no React development runtime), sent
 * compressed (brotli or gzip, as the browser accepts), its hashed assets cached for good and index.html
 * revalidated, the security headers unchanged; and the main pages open as an administrator without a
 * single console error or warning (React's unknown-prop and MUI's out-of-range-value warnings among them).
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleErrors, loginAs, withBrowserSystem } from './support/browser';
import { DESKTOP, PHONE } from './support/e2e';
import { issueAndWaitForTask } from './support/fixtures';
import type { TestSystem } from './support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

/** A GET with the given Accept-Encoding; the body as sent (not decompressed). */
function get(
  url: string,
  acceptEncoding: string,
  token?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': acceptEncoding, ...(token ? { authorization: `Bearer ${token}` } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('the served admin UI', () => {
  it('is a production build, compressed, with hashed assets cached long and index.html revalidated', async () => {
    const index = await get(`${sys.baseUrl}/`, 'gzip, deflate, br');
    expect(index.status).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(String(index.headers['content-security-policy'])).toContain("default-src 'self'");
    const html =
      index.headers['content-encoding'] === 'br'
        ? brotliDecompressSync(index.body).toString()
        : index.headers['content-encoding'] === 'gzip'
          ? gunzipSync(index.body).toString()
          : index.body.toString();
    // A client route (react-admin's hash router aside) falls back to index.html, revalidated too.
    const fallback = await get(`${sys.baseUrl}/some/client/route`, 'br');
    expect(fallback.status).toBe(200);
    expect(fallback.headers['cache-control']).toBe('no-cache');

    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    const script = assets.find((a) => a.endsWith('.js'));
    expect(script, html).toBeDefined();
    expect(
      assets.every((a) => /-[\w-]{8,}\.(?:js|css)$/.test(a)),
      assets.join(),
    ).toBe(true);

    const br = await get(`${sys.baseUrl}${script}`, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(String(br.headers['content-security-policy'])).toContain("default-src 'self'");
    const code = brotliDecompressSync(br.body).toString();
    expect(br.body.length).toBeLessThan(code.length / 3);

    // The production runtime: no development JSX, no React development warnings, minified.
    expect(code).not.toContain('jsxDEV');
    expect(code).not.toContain('React does not recognize the');
    expect(code.split('\n').length).toBeLessThan(2000);

    const gz = await get(`${sys.baseUrl}${script}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(code);
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const plain = await get(`${sys.baseUrl}${script}`, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(code);

    // The API and the swagger UI keep their own headers.
    const docs = await get(`${sys.baseUrl}/api/docs`, 'gzip, br');
    expect(docs.status).toBeLessThan(400);
    expect(String(docs.headers['content-security-policy'])).toContain("default-src 'self'");
  });
});

describe("the API's answers", () => {
  it('are compressed when they are JSON of 1 KB or more; files go as they are', async () => {
    const token = await sys.login('admin');
    const plain = await get(`${sys.baseUrl}/api/regions`, 'identity', token);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    const gz = await get(`${sys.baseUrl}/api/regions`, 'gzip', token);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(plain.body.toString());
    const br = await get(`${sys.baseUrl}/api/regions`, 'gzip, br', token);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(plain.body.toString());
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    // A small answer is not worth it; a file (the export for upload) keeps its length and bytes.
    const me = await get(`${sys.baseUrl}/api/auth/me`, 'gzip, br', token);
    expect(me.headers['content-encoding']).toBeUndefined();
    const file = await get(`${sys.baseUrl}/api/exports/patches?format=shp`, 'gzip, br', token);
    expect(file.status).toBe(200);
    expect(file.headers['content-encoding']).toBeUndefined();
    expect(Number(file.headers['content-length'])).toBe(file.body.length);
  });
});

describe('the main pages as an administrator', () => {
  it('open without console errors or warnings, on a desktop and on a phone', async () => {
    const { task, code } = await issueAndWaitForTask(sys, { countyCode: '640104' });
    const pages: [string, string | ((p: import('playwright-core').Page) => Promise<unknown>)][] = [
      ['#/tasks', 'inbox'],
      [`#/tasks/${encodeURIComponent(task.id)}/show`, 'task'],
      ['#/patches', 'patches'],
      [`#/patches/${encodeURIComponent(code)}/show`, 'patch'],
      ['#/cases', 'cases'],
      ['#/quota/ledger', 'quota'],
      ['#/supervision', 'supervision'],
      ['#/statistics', 'statistics'],
      ['#/imports', 'imports'],
      ['#/imports/create', 'import form'],
      ['#/users', 'users'],
      ['#/users/create', 'user form'],
      ['#/regions', 'regions'],
      ['#/policies/640000', 'policy editor'],
    ];
    for (const device of [DESKTOP, PHONE]) {
      const page = await browser.newPage(device);
      const errors = consoleErrors(page);
      let inFlight = 0;
      page.on('request', () => inFlight++);
      page.on('requestfinished', () => inFlight--);
      page.on('requestfailed', () => inFlight--);
      /** Until no request has been under way for half a second (a hash change is no load to wait for). */
      const settled = async () => {
        for (let quiet = 0; quiet < 5; ) {
          await page.waitForTimeout(100);
          quiet = inFlight > 0 ? 0 : quiet + 1;
        }
      };
      await loginAs(page, sys.baseUrl, 'nx.admin');
      const found: string[] = [];
      for (const [hash, name] of pages) {
        await page.goto(`${sys.baseUrl}/${hash}`);
        await settled();
        // React's production build sets an unknown prop as an attribute where its development build warned
        // ("React does not recognize the `InputProps` prop on a DOM element"): none may reach the DOM.
        const leaked = await page.evaluate(() =>
          Array.from(document.querySelectorAll('*')).flatMap((el) =>
            el
              .getAttributeNames()
              .filter((a) => /props$|^(?:isrequired|ispending|islabelled)$/i.test(a))
              .map((a) => `${el.tagName.toLowerCase()}[${a}]`),
          ),
        );
        found.push(...[...new Set(leaked)].map((l) => `${name}: attribute ${l}`));
        found.push(...errors.list().map((e) => `${name}: ${e}`));
        errors.clear();
      }
      expect(found, device === PHONE ? 'phone' : 'desktop').toEqual([]);
      await page.close();
    }
  });
});
