/**
 * A patch's record in the browser (issue 18): the patch page's timeline shows what happened to its case —
 * the quota frozen at registration, worded with its account and area — and an evidence photo whose capture
 * time lies after its upload is flagged, in both languages.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, withBrowserSystem } from '../support/browser';
import { DESKTOP, noRawKeys } from '../support/e2e';
import { jpeg } from '../support/evidence-files';
import { completeAs, illegalPatchWithCase, registration } from '../support/fixtures';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

describe("a patch's page shows its case's record", () => {
  it('the quota frozen at registration is in the patch timeline; a photo dated after its upload is flagged', async () => {
    const { code, caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 8, farmlandMu: 6 });
    await completeAs(sys, 'na.officer', register.id, registration());
    // A photo whose capture time is 35 minutes after its upload (EXIF with an explicit offset).
    const ahead = new Date(Date.now() + 35 * 60_000);
    const exifTime = ahead.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(jpeg({ dateTimeOriginal: exifTime, offset: '+00:00', description: `future-${code}` }))], { type: 'image/jpeg' }),
      'future.jpg',
    );
    const up = await fetch(`${sys.baseUrl}/api/evidence?patchCode=${code}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sys.login('na.officer')}` },
      body: form,
    });
    expect(up.status).toBe(201);

    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'na.officer');
    await page.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    await page.getByTestId('patch-case').getByText(caseNo).waitFor();
    const timeline = page.getByTestId('timeline');
    await expect.poll(async () => (await timeline.textContent()) ?? '').toContain('冻结指标');
    expect(await timeline.textContent()).toContain('补充耕地指标 6 亩');
    await expect.poll(async () => (await page.locator('[data-warning]').allTextContents()).join('|')).toContain('照片拍摄时间晚于上传时间（超过5分钟）');
    await noRawKeys(page);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await expect.poll(async () => (await timeline.textContent()) ?? '').toContain('Quota frozen');
    expect(await timeline.textContent()).toContain('Supplementary farmland quota 6 mu');
    await expect
      .poll(async () => (await page.locator('[data-warning]').allTextContents()).join('|'))
      .toContain("Photo's capture time is later than its upload (by more than 5 minutes)");
    await page.close();
  });
});
