/**
 * In the browser: a photo's direction (EXIF GPSImgDirection) drawn on the patch map as an arrow turned that way;
 * on the verification form the patch's earlier evidence is offered again (举证一次、多处使用) and the mineral part
 * (用矿情况, 地矿同核) stands beside the land part, asked of a mineral patch.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, withBrowserSystem } from '../support/browser';
import { DESKTOP, noRawKeys } from '../support/e2e';
import { jpeg } from '../support/evidence-files';
import { issueAndWaitForTask, SITE } from '../support/fixtures';
import type { TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

describe('evidence direction and reuse, the mineral part', () => {
  it('draws the arrow of a photo taken facing east, offers the photo again on the form, and asks the mineral part', async () => {
    const { code } = await issueAndWaitForTask(sys, { countyCode: '640104', category: 'mineral', batchKind: 'mineral' });
    const form = new FormData();
    form.append('patchCode', code);
    form.append(
      'file',
      new Blob([new Uint8Array(jpeg({ ...SITE, direction: 90, dateTimeOriginal: '2026:06:01 10:00:00', description: `arrow-${code}` }))], {
        type: 'image/jpeg',
      }),
      '东侧采坑.jpg',
    );
    const up = await fetch(`${sys.baseUrl}/api/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sys.login('xq.officer')}` },
      body: form,
    });
    expect(up.status).toBe(201);

    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'xq.officer');
    await page.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    await page.getByTestId('patch-map').waitFor();
    const arrow = page.getByTestId('evidence-arrow');
    await arrow.waitFor();
    expect(await arrow.getAttribute('data-direction')).toBe('90');
    expect(await arrow.evaluate((el) => getComputedStyle(el).transform)).not.toBe('none');
    expect(await arrow.getAttribute('aria-label')).toBe('拍摄方向 90°');

    // A child of the patch (its code plus _1: the lineage a split gives) is offered the parent's photo on its
    // verification form, and takes it without a second upload.
    const { code: child, task } = await issueAndWaitForTask(sys, { code: `${code}_1`, countyCode: '640104', category: 'mineral', batchKind: 'mineral' });
    await page.goto(`${sys.baseUrl}/#/tasks/${encodeURIComponent(task.id)}/show`);
    await page.getByTestId('mineral-part').waitFor();
    expect(await page.getByTestId('mineral-part').textContent()).toContain('本图斑为矿产卫片图斑，须填写用矿情况');
    const offer = page.getByTestId('evidence-reuse-item');
    await offer.waitFor();
    expect(await offer.textContent()).toContain('东侧采坑.jpg');
    await offer.click();
    await expect.poll(() => page.getByTestId('evidence-entry').count()).toBe(1);
    await expect.poll(() => page.getByTestId('evidence-reuse-item').count()).toBe(0);
    expect((await sys.sql`select count(*)::int as n from evidence_files where patch_code = ${child}`)[0].n).toBe(1);
    // Mining found: the licence question and the finding follow.
    await page.getByTestId('mineral-part').getByLabel('是', { exact: true }).first().check();
    await page.getByText('是否持有采矿许可证').waitFor();
    await page.getByText('违法采矿').waitFor();
    await noRawKeys(page);
    await page.close();
  });
});
