/**
 * A violation case in Chromium, in Nan'an (350583; the review chain is the province only): the officer
 * registers the case (linking another illegal patch of the same party from the picker), issues the stop
 * order, decides with the "six musts" (a criminal referral opens a transfer), records the transfer's
 * feedback, plans and reports the demolition and re-cultivation; the county, the city (certificate) and
 * the province accept (a screenshot of each form). The quota page shows the farmland frozen at registration and unfrozen at the
 * province's confirmation; the case page shows the whole case, struck off. Screenshots in test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginAs, screenshot, withBrowserSystem } from '../support/browser';
import { completeTask, DESKTOP, field, fill, noHorizontalScroll, noRawKeys, openTask, PHONE, toggle } from '../support/e2e';
import { balances, caseTaskOf, illegalPatchWithCase } from '../support/fixtures';
import { eventually, type TestSystem } from '../support/system';

let sys: TestSystem;
let browser: Browser;
withBrowserSystem((s, b) => {
  sys = s;
  browser = b;
});

/** The county's farmland balance as the quota page shows it. */
async function quotaShown(page: Page, kind: 'frozen' | 'unfrozen' | 'deducted') {
  await page.goto(`${sys.baseUrl}/#/quota/ledger`);
  const row = page.locator('[data-testid="quota-balances"] tr[data-county="350583"][data-account="farmland"]');
  await row.waitFor();
  return Number((await row.locator(`[data-field="${kind}"]`).textContent())?.replace(/,/g, ''));
}

describe('a case from registration to strike-off', () => {
  it('goes through registration, decision, rectification and the three acceptances, freezing and unfreezing the quota', async () => {
    const main = await illegalPatchWithCase(sys, { totalMu: 8, farmlandMu: 6 });
    const other = await illegalPatchWithCase(sys, { totalMu: 3, farmlandMu: 1.5 });
    const before = await balances(sys, '350583');
    const officer = await browser.newPage(DESKTOP);
    await loginAs(officer, sys.baseUrl, 'na.officer');

    // 立案: the patches of the case in the context; the other patch offered for linking.
    await openTask(officer, sys.baseUrl, main.register.id, '立案');
    expect(await officer.getByTestId('case-patches').textContent()).toContain(main.code);
    await field(officer, 'party.kind').getByLabel('单位').check();
    await fill(officer, 'party.name', '南安市某石材有限公司');
    await fill(officer, 'party.idNumber', '91350583MA00000000');
    await fill(officer, 'site', '南安市水头镇某村');
    await fill(officer, 'facts', '未经批准占用耕地建设石材加工厂房');
    await fill(officer, 'legalBasis', '《土地管理法》第七十七条');
    await field(officer, 'linkPatchCodes').locator('input').click();
    await officer.getByRole('option', { name: new RegExp(other.code) }).click();
    await noRawKeys(officer);
    await screenshot(officer, 'case-1-register-desktop');
    const registered = await completeTask(officer);
    expect(registered).toMatchObject({ party: { name: '南安市某石材有限公司', kind: 'organisation' }, linkPatchCodes: [other.code] });

    // The quota page: both patches' farmland frozen in Nan'an's reserve.
    await expect.poll(() => quotaShown(officer, 'frozen'), { timeout: 15_000 }).toBeCloseTo(before.frozen + 7.5);
    await screenshot(officer, 'case-2-quota-frozen-desktop');

    // 责令停止违法行为.
    await openTask(officer, sys.baseUrl, (await caseTaskOf(sys, main.caseNo, 'stop_order', 'na.officer')).id, '责令停止违法行为');
    expect(await officer.getByTestId('party-view').textContent()).toContain('南安市某石材有限公司');
    await fill(officer, 'documentNumber', '南自然资停〔2026〕3号');
    await fill(officer, 'issuedOn', '2026-11-18');
    await screenshot(officer, 'case-2b-stop-order-desktop');
    expect(await completeTask(officer)).toMatchObject({ documentNumber: '南自然资停〔2026〕3号', issuedOn: '2026-11-18', stopped: true });

    // 处罚决定 and the six musts: a fine collected, demolition and re-cultivation, a criminal referral.
    await openTask(officer, sys.baseUrl, (await caseTaskOf(sys, main.caseNo, 'case_decision', 'na.officer')).id, '处罚决定');
    await fill(officer, 'documentNumber', '南自然资罚〔2026〕8号');
    await fill(officer, 'decidedOn', '2026-11-20');
    await fill(officer, 'fine.amountYuan', '120000');
    await toggle(officer, 'fine.collected');
    await fill(officer, 'fine.collectedYuan', '120000');
    await toggle(officer, 'demolition');
    await toggle(officer, 'recultivation');
    await toggle(officer, 'criminalReferral');
    await field(officer, 'path').getByLabel('拆除复耕').check();
    await screenshot(officer, 'case-3-decision-desktop');
    expect(await completeTask(officer)).toMatchObject({
      fine: { amountYuan: 120000, collected: true, collectedYuan: 120000 },
      demolition: true,
      recultivation: true,
      criminalReferral: true,
      confiscation: false,
      path: 'demolish_recultivate',
    });

    // The transfer to the judicial organs reports back.
    const transfer = await caseTaskOf(sys, main.caseNo, 'transfer_feedback', 'na.officer');
    await openTask(officer, sys.baseUrl, transfer.id, '移送反馈');
    expect(await officer.getByTestId('task-context').textContent()).toContain('司法机关');
    await fill(officer, 'receivedOn', '2026-12-28');
    await fill(officer, 'result', '已立案侦查');
    await screenshot(officer, 'case-3b-transfer-feedback-desktop');
    await completeTask(officer);

    // 整改方案 and 整改, on the officer's phone.
    const phone = await browser.newPage(PHONE);
    await loginAs(phone, sys.baseUrl, 'na.officer');
    await openTask(phone, sys.baseUrl, (await caseTaskOf(sys, main.caseNo, 'rectification_plan', 'na.officer')).id, '整改方案');
    await fill(phone, 'responsiblePerson', '王某');
    await fill(phone, 'measures', '拆除厂房，复垦为耕地');
    await fill(phone, 'plannedBy', '2026-12-31');
    await noHorizontalScroll(phone);
    await screenshot(phone, 'case-4-plan-phone');
    await completeTask(phone);
    await openTask(phone, sys.baseUrl, (await caseTaskOf(sys, main.caseNo, 'rectification', 'na.officer')).id, '整改');
    expect(await phone.getByTestId('plan-view').textContent()).toContain('拆除厂房，复垦为耕地');
    // Demolition: neither the approval nor the confiscation document is asked for.
    expect(await phone.getByTestId('rectification-approval').count()).toBe(0);
    expect(await field(phone, 'confiscationDocument').count()).toBe(0);
    await fill(phone, 'completedOn', '2026-12-20');
    await fill(phone, 'rectifiedMu', '11');
    await fill(phone, 'notes', '已拆除复垦');
    await noHorizontalScroll(phone);
    await noRawKeys(phone);
    await screenshot(phone, 'case-5-rectification-phone');
    expect(await completeTask(phone)).toMatchObject({ completedOn: '2026-12-20', rectifiedMu: 11, evidence: [] });

    // The three acceptances: county, city (with the certificate), province.
    await openTask(officer, sys.baseUrl, (await caseTaskOf(sys, main.caseNo, 'acceptance_county', 'na.officer')).id, '县级初验');
    expect(await officer.getByTestId('rectification-view').textContent()).toContain('已拆除复垦');
    // No acceptance decision is preselected: a stray click accepts nothing.
    expect(await field(officer, 'decision').locator('input:checked').count()).toBe(0);
    await field(officer, 'decision').getByLabel('验收通过').check();
    await fill(officer, 'notes', '初验合格');
    await screenshot(officer, 'case-5b-acceptance-county-desktop');
    await completeTask(officer);

    const city = await browser.newPage(DESKTOP);
    await loginAs(city, sys.baseUrl, 'qz.reviewer');
    await openTask(city, sys.baseUrl, (await caseTaskOf(sys, main.caseNo, 'acceptance_city', 'qz.reviewer')).id, '市级验收');
    expect(await city.getByTestId('task-context').textContent()).toContain('初验合格');
    await city.getByRole('button', { name: '提交' }).click();
    await expect.poll(async () => (await field(city, 'decision').textContent()) ?? '').toMatch(/必填|required/i);
    await field(city, 'decision').getByLabel('验收通过').check();
    await expect.poll(async () => (await field(city, 'certificateNo').textContent()) ?? '').toMatch(/必填|required/i);
    await fill(city, 'certificateNo', '泉拆复证〔2026〕15号');
    await screenshot(city, 'case-6-acceptance-city-desktop');
    expect(await completeTask(city)).toEqual({ decision: 'pass', certificateNo: '泉拆复证〔2026〕15号' });

    const province = await browser.newPage(DESKTOP);
    await loginAs(province, sys.baseUrl, 'fj.reviewer');
    await openTask(province, sys.baseUrl, (await caseTaskOf(sys, main.caseNo, 'acceptance_province', 'fj.reviewer')).id, '省级确认');
    expect(await province.getByTestId('task-context').textContent()).toContain('泉拆复证〔2026〕15号');
    await field(province, 'decision').getByLabel('确认通过').check();
    await screenshot(province, 'case-6b-acceptance-province-desktop');
    expect(await completeTask(province)).toEqual({ decision: 'confirm' });

    // Unfrozen once the province confirms; the case is struck off.
    await expect.poll(() => quotaShown(officer, 'unfrozen'), { timeout: 15_000 }).toBeCloseTo(before.unfrozen + 7.5);
    expect(await quotaShown(officer, 'frozen')).toBeCloseTo(before.frozen);
    await officer.locator('[data-testid="quota-ledger"]').getByText(main.caseNo).first().waitFor();
    await screenshot(officer, 'case-7-quota-unfrozen-desktop');
    await eventually(async () => (await sys.sql`select status from cases where case_no = ${main.caseNo}`)[0].status === 'struck_off');

    // The case page: everything about the case in one place.
    await officer.goto(`${sys.baseUrl}/#/cases/${main.caseNo}/show`);
    await officer.locator('h1', { hasText: main.caseNo }).waitFor();
    await expect.poll(async () => (await officer.locator('body').textContent()) ?? '').toContain('已销号');
    expect(await officer.getByTestId('case-patches').textContent()).toContain(other.code);
    const decisionText = (await officer.getByTestId('decision-view').textContent()) ?? '';
    for (const t of ['南自然资罚〔2026〕8号', '120,000 元', '已收缴', '移送司法']) expect(decisionText).toContain(t);
    expect(await officer.getByTestId('case-transfers').textContent()).toContain('已立案侦查');
    const acceptances = (await officer.getByTestId('case-acceptances').textContent()) ?? '';
    for (const t of ['县级初验', '市级验收', '省级确认', '泉拆复证〔2026〕15号']) expect(acceptances).toContain(t);
    const quota = officer.getByTestId('quota-entries');
    expect(await quota.locator('tr[data-kind="freeze"]').count()).toBe(2);
    expect(await quota.locator('tr[data-kind="unfreeze"]').count()).toBe(2);
    await expect.poll(async () => (await officer.getByTestId('timeline').textContent()) ?? '').toContain('案件销号');
    await noRawKeys(officer);
    await screenshot(officer, 'case-8-case-desktop');

    // The problem ledger lists it struck off; the patch page links it.
    await officer.goto(`${sys.baseUrl}/#/cases`);
    await officer.locator('tr', { hasText: main.caseNo }).waitFor();
    expect(await officer.locator('tr', { hasText: main.caseNo }).textContent()).toContain('已销号');
    await screenshot(officer, 'case-9-ledger-desktop');
    await officer.goto(`${sys.baseUrl}/#/patches/${main.code}/show`);
    await officer.getByTestId('patch-case').getByText(main.caseNo).click();
    await officer.waitForURL((url) => url.hash.includes(`/cases/${main.caseNo}/show`));

    // On the officer's phone the case page fits the screen; in English every text is translated.
    await phone.goto(`${sys.baseUrl}/#/cases/${main.caseNo}/show`);
    await phone.getByTestId('decision-view').waitFor();
    await noHorizontalScroll(phone);
    await screenshot(phone, 'case-10-case-phone');
    await phone.getByRole('button', { name: '中文' }).click();
    await phone.getByRole('menuitem', { name: 'English' }).click();
    await expect.poll(async () => (await phone.getByTestId('section-acceptances').textContent()) ?? '').toContain('City acceptance');
    await phone.getByTestId('timeline').waitFor();
    await noRawKeys(phone);
    await phone.goto(`${sys.baseUrl}/#/quota/ledger`);
    await phone.getByTestId('quota-balances').getByText('Supplementary farmland quota').first().waitFor();
    await noRawKeys(phone);
    for (const p of [officer, phone, city, province]) await p.close();
  });
});
