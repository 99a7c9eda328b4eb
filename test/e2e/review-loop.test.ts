/**
 * The review loop in Chromium, in Ningxia (001: the city reviews every farmland patch): an officer
 * verifies a patch (only the region's farmland question is asked; the "other" rule is shown), the city
 * reviewer — who sees the determination and why the city reviews it — sends it back, the officer asks
 * for an extension and corrects on a phone, and the reviewer passes it on to the province. Each is told
 * (the officer of the send-back with its reason, the reviewer of the resubmission), every submission says
 * what happens next, and the timeline tells 审核退回 from 审核通过. Screenshots of each page (desktop, and
 * phone for the officer) in test-artifacts/.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { completeTask, DESKTOP, field, noHorizontalScroll, noRawKeys, openTask, PHONE } from '../support/e2e';
import { jpeg } from '../support/evidence-files';
import { issueAndWaitForTask, openTaskOf, SITE } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

describe('verify, send back, correct, pass', () => {
  it('goes round the loop in the browser', async () => {
    const { code } = await issueAndWaitForTask(sys, { category: 'new_non_agricultural_construction', areaMu: 8, farmlandMu: 3 });

    // The officer verifies: illegal on 3 mu of farmland.
    const officer = await browser.newPage(DESKTOP);
    await loginAs(officer, sys.baseUrl, 'xq.officer');
    await officer.locator('tr', { hasText: code }).click();
    await officer.getByRole('heading', { name: '核查填报', exact: true }).waitFor();
    // The region's rule on "other" is stated for this category.
    expect(await officer.getByTestId('other-forbidden').textContent()).toContain('新增非农建设类');
    await field(officer, 'determination.legality').getByLabel('违法').check();
    await field(officer, 'determination.subType').click();
    await officer.getByRole('option', { name: '未经批准占用' }).click();
    // Ningxia asks one farmland question (the national one), not Liaocheng's six.
    await officer.getByTestId('farmland-flags').waitFor();
    expect(await officer.getByTestId('farmland-flags').locator('[role=radiogroup]').count()).toBe(1);
    expect(await officer.getByTestId('farmland-flags').textContent()).toContain('是否新增农村乱占耕地建房');
    await field(officer, 'determination.farmlandFlags.rural_housing').getByLabel('否').check();
    await field(officer, 'determination.notes').locator('textarea').first().fill('现场为新建厂房');
    // Illegal: the region's evidence rule asks a site photo with GPS.
    await officer.getByTestId('evidence-rule').waitFor();
    await officer.setInputFiles('[data-testid="evidence-file-input"]', {
      name: '现场照片.jpg',
      mimeType: 'image/jpeg',
      buffer: jpeg({ ...SITE, dateTimeOriginal: '2026:11:20 10:20:30', description: code }),
    });
    await officer.getByTestId('evidence-entry').waitFor({ timeout: 15_000 });
    await noRawKeys(officer);
    await screenshot(officer, 'loop-1-verification-desktop');
    const verified = await completeTask(officer);
    // The notice says what happens next: the city's desk review.
    await expect.poll(async () => (await officer.getByTestId('submitted-notice').textContent()) ?? '').toBe('已提交，待银川市内业审核');
    expect(verified).toMatchObject({ determination: { legality: 'illegal', farmlandFlags: { rural_housing: false }, areas: { farmlandMu: 3 } } });

    // The city reviewer sees the determination and why the city reviews it, and sends it back.
    const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    const reviewer = await browser.newPage(DESKTOP);
    await loginAs(reviewer, sys.baseUrl, 'yc.reviewer');
    await reviewer.locator('tr', { hasText: code }).click();
    await reviewer.getByRole('heading', { name: '内业审核', exact: true }).waitFor();
    const context = reviewer.getByTestId('task-context');
    await expect.poll(async () => (await context.textContent()) ?? '').toContain('市级对“占用耕地”的图斑全部审核');
    expect(await context.textContent()).toContain('现场为新建厂房');
    expect(await context.getByTestId('determination-view').textContent()).toContain('违法');
    await noRawKeys(reviewer);
    await screenshot(reviewer, 'loop-2-review-desktop');
    await field(reviewer, 'decision').getByLabel('退回修正').check();
    expect(await field(reviewer, 'reason').textContent()).toContain('退回理由');
    await reviewer.locator('.ra-input-reason textarea').first().fill('耕地面积与举证照片不符，请核实');
    expect(await completeTask(reviewer)).toEqual({ decision: 'send_back', reason: '耕地面积与举证照片不符，请核实' });
    await expect.poll(async () => (await reviewer.getByTestId('submitted-notice').textContent()) ?? '').toBe('已提交，待兴庆区修正后重新上报');
    expect((await sys.sql`select status from tasks where id = ${review.id}`)[0].status).toBe('completed');

    // On a phone, the officer finds the correction with the reason, asks for more time, then corrects.
    const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');
    const phone = await browser.newPage(PHONE);
    await loginAs(phone, sys.baseUrl, 'xq.officer');
    await phone.getByText(code).first().waitFor();
    // The bell tells the officer it was sent back, by whom and why; the notice opens the correction.
    await phone.getByTestId('notifications-button').click();
    const sentBack = phone.getByTestId('notifications-list').locator('[data-kind="sent_back"]', { hasText: code });
    await sentBack.waitFor();
    expect(await sentBack.textContent()).toContain(`审核退回：银川市退回了图斑 ${code}，请修正后重新上报`);
    expect(await sentBack.textContent()).toContain('退回理由：耕地面积与举证照片不符，请核实');
    expect(await sentBack.textContent()).toContain('退回人 银川市审核员');
    await noHorizontalScroll(phone);
    await screenshot(phone, 'loop-3a-sent-back-notice-phone');
    await sentBack.click();
    await phone.getByRole('heading', { name: '退回修正', exact: true }).waitFor();
    await phone.goto(`${sys.baseUrl}/#/tasks`);
    await phone.getByText(code).first().waitFor();
    await noHorizontalScroll(phone);
    await screenshot(phone, 'loop-3-inbox-phone');
    await openTask(phone, sys.baseUrl, correction.id, '退回修正');
    const phoneContext = phone.getByTestId('task-context');
    expect(await phoneContext.textContent()).toContain('耕地面积与举证照片不符，请核实');
    expect(await phoneContext.textContent()).toContain('银川市审核员');

    await phone.getByRole('button', { name: '申请延期' }).click();
    await phone.getByTestId('extension-reason').fill('需补充外业核查，汛期无法进场');
    await phone.getByTestId('extension-date').fill('2027-02-28');
    await phone.getByRole('button', { name: '提交申请' }).click();
    await phone.getByText('已提交延期申请，等待上级审批').first().waitFor();
    const decision = await eventually(
      async () => (await sys.sql`select region_code, context from tasks where patch_code = ${code} and type = 'extension_decision' and status = 'open'`)[0],
    );
    expect(decision).toMatchObject({
      region_code: '640100',
      context: { targetTaskId: correction.id, reason: '需补充外业核查，汛期无法进场', requestedDate: '2027-02-28' },
    });

    // The corrected determination starts from the one sent back.
    expect(await field(phone, 'determination.areas.farmlandMu').locator('input').inputValue()).toBe('3');
    await field(phone, 'determination.areas.farmlandMu').locator('input').fill('2.5');
    await field(phone, 'determination.notes').locator('textarea').first().fill('复核后耕地2.5亩');
    await noHorizontalScroll(phone);
    await noRawKeys(phone);
    await screenshot(phone, 'loop-4-correction-phone');
    const corrected = await completeTask(phone);
    expect(corrected).toMatchObject({ decision: 'submit', determination: { legality: 'illegal', areas: { farmlandMu: 2.5 }, notes: '复核后耕地2.5亩' } });
    await expect.poll(async () => (await phone.getByTestId('submitted-notice').textContent()) ?? '').toBe('已提交，待银川市内业审核');

    // The reviewer sees it came back once, and passes it: it goes on to the province.
    const again = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    // The reviewer is told it came back corrected.
    await reviewer.reload();
    await reviewer.getByTestId('notifications-button').click();
    const resubmitted = reviewer.getByTestId('notifications-list').locator('[data-kind="resubmitted"]', { hasText: code });
    await resubmitted.waitFor();
    expect(await resubmitted.textContent()).toContain(`重新上报：兴庆区已修正图斑 ${code}，请审核`);
    expect(await resubmitted.textContent()).toContain('上报人 兴庆区核查员');
    await reviewer.keyboard.press('Escape');
    await openTask(reviewer, sys.baseUrl, again.id, '内业审核');
    await expect.poll(async () => (await reviewer.getByTestId('task-context').textContent()) ?? '').toContain('已退回 1 次');
    expect(await reviewer.getByTestId('task-context').textContent()).toContain('2.5');
    // Who corrected it, in words (not the context's raw keys).
    expect(await reviewer.getByTestId('task-context').textContent()).toContain('修正上报人兴庆区核查员');
    expect(await reviewer.getByTestId('task-context').textContent()).not.toContain('resubmitted');
    await field(reviewer, 'decision').getByLabel('审核通过').check();
    expect(await completeTask(reviewer)).toEqual({ decision: 'pass' });
    await expect.poll(async () => (await reviewer.getByTestId('submitted-notice').textContent()) ?? '').toBe('已提交，待宁夏回族自治区内业审核');
    const province = await openTaskOf(sys, code, 'review', 'nx.reviewer');
    expect(province.regionCode).toBe('640000');

    // The patch page tells the story.
    await reviewer.goto(`${sys.baseUrl}/#/patches/${code}/show`);
    const timeline = reviewer.getByTestId('timeline');
    await expect.poll(async () => (await timeline.textContent()) ?? '').toContain('内业审核：审核通过');
    for (const text of [
      '核查填报：办结',
      '内业审核：审核退回',
      '退回修正：任务下达',
      '耕地面积与举证照片不符，请核实',
      '延期审批：任务下达',
      '退回修正：修正后重新上报',
    ]) {
      expect(await timeline.textContent()).toContain(text);
    }
    // 退回 and 通过 are told apart, each on its own row; the send-back with its reason.
    expect(await timeline.textContent()).not.toContain('内业审核：办结');
    const sentBackRow = timeline.locator('li[data-action="review.completed"][data-decision="send_back"]');
    expect(await sentBackRow.textContent()).toContain('内业审核：审核退回');
    expect(await sentBackRow.textContent()).toContain('耕地面积与举证照片不符，请核实');
    expect(await timeline.locator('li[data-action="review.completed"][data-decision="pass"]').textContent()).toContain('内业审核：审核通过');
    await noRawKeys(reviewer);
    await screenshot(reviewer, 'loop-5-patch-desktop');
    for (const p of [officer, reviewer, phone]) await p.close();
  });
});
