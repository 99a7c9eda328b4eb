/**
 * The periodic re-check form (周期复核) in Chromium, on the time-skipping server: a Liaocheng patch filed
 * as legal facility agriculture (under the 10 mu on-site threshold) is passed by the city and the
 * province and waits a quarter for its first re-check (003 四(六)); the officer sees the determination
 * filed, must describe a change before submitting it, and a re-check that finds rebuilding opens a case.
 * Screenshots in test-artifacts/.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { completionSchemas } from '../../domain/schemas/tasks';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { completeTask, DESKTOP, field, noRawKeys, openTask } from '../support/e2e';
import { jpeg } from '../support/evidence-files';
import { completeAs, determination, issueAndWaitForTask, openTaskOf, patchRow } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem(
  (s, b) => {
    sys = s;
    browser = b;
  },
  { timeSkipping: true },
);

const HOUR = 3600_000;

describe('Liaocheng: the quarterly re-check of a facility-agriculture patch', () => {
  it('opens a quarter after the patch is filed; finding rebuilding (described) opens a case', async () => {
    const env = sys.env!;
    const now = async () => Number(await env.currentTimeMs());
    const issuedAt = await now();
    const { code, task } = await issueAndWaitForTask(sys, {
      countyCode: '371502',
      category: 'facility_agriculture',
      areaMu: 6,
      issuedAt: new Date(issuedAt).toISOString(),
    });
    await completeAs(
      sys,
      'dcf.officer',
      task.id,
      determination(
        'legal',
        { totalMu: 6 },
        { subType: 'facility_agriculture', approvals: [{ type: 'facility_agriculture', documentNumber: '东设农备〔2026〕7号', date: '2026-03-01' }] },
      ),
    );
    await completeAs(sys, 'lc.reviewer', (await openTaskOf(sys, code, 'review', 'lc.reviewer')).id, { decision: 'pass' });
    const snap = await completeAs(sys, 'sd.reviewer', (await openTaskOf(sys, code, 'review', 'sd.reviewer')).id, { decision: 'pass' });
    expect(snap.stage).toBe('recheck');
    const [scheduled] = await sys.sql`select after from audit_log where patch_code = ${code} and action = 'patch.recheck_scheduled'`;
    const first = Date.parse(scheduled.after.detail.at[0]);
    await env.sleep(first - (await now()) + HOUR);
    const recheck = await openTaskOf(sys, code, 'recheck', 'dcf.officer');

    const page = await browser.newPage(DESKTOP);
    await loginAs(page, sys.baseUrl, 'dcf.officer');
    await openTask(page, sys.baseUrl, recheck.id, '周期复核');
    // What was filed, and how many re-checks remain.
    const context = page.getByTestId('task-context');
    expect(await context.textContent()).toContain('东设农备〔2026〕7号');
    expect(await context.getByTestId('determination-view').textContent()).toContain('设施农业用地');
    await page.setInputFiles('[data-testid="evidence-file-input"]', {
      name: '复核照片.jpg',
      mimeType: 'image/jpeg',
      buffer: jpeg({ lat: 38.4705, lng: 106.2805, dateTimeOriginal: exifShanghai(issuedAt + 2_000), offset: '+08:00', description: code }),
    });
    // Taken on the patch (the fixture polygon), just after its issuance and so before its upload: no warnings.
    // (The workflows' clock is skipped ahead, the upload's is the wall clock: a photo dated in the skipped-to
    // quarter would be one taken after its upload.)
    await page.getByTestId('evidence-entry').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('evidence-entry').locator('[data-warning]').count()).toBe(0);
    await noRawKeys(page);
    await screenshot(page, 'form-recheck-desktop');

    // Rebuilding must be described.
    await field(page, 'finding').getByLabel('违法复建').check();
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await field(page, 'notes').textContent()) ?? '').toMatch(/必填|required/i);
    await field(page, 'notes').locator('textarea').first().fill('原址新建彩钢房约300平方米');
    await screenshot(page, 'form-recheck-rebuilt-desktop');
    const sent = await completeTask(page);
    expect(completionSchemas.recheck.safeParse(sent).success).toBe(true);
    expect(sent).toMatchObject({ finding: 'rebuilt', notes: '原址新建彩钢房约300平方米', evidence: [{ name: '复核照片.jpg' }] });
    await eventually(async () => (await patchRow(sys, code)).stage === 'case');
    const [opened] = await sys.sql`select origin from cases where case_no = ${(await patchRow(sys, code)).case_no}`;
    expect(opened.origin).toBe('recheck');

    await page.close();
  });
});

/** An EXIF DateTimeOriginal ("YYYY:MM:DD HH:MM:SS") of an instant, in Asia/Shanghai. */
function exifShanghai(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');
}
