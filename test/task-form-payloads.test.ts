/**
 * The forms' values → completion payloads (admin-ui/src/tasks/forms/payloads.ts), checked against the
 * API's zod schemas (domain/schemas/tasks.ts): every task type's starting values, once filled in as an
 * officer or reviewer would, give a payload its schema accepts; what a form does not show is not sent.
 */
import { describe, expect, it } from 'vitest';
import { buildPayload, determinationPayload, initialValues, type TaskFormValues } from '../admin-ui/src/tasks/forms/payloads';
import { completionSchemas } from '../domain/schemas/tasks';
import { TASK_TYPES, type TaskType } from '../domain/types';
import { legalDetermination } from './support/fixtures';

const patch = { areaMu: 6, farmlandMu: 2 };
const sha = 'a'.repeat(64);

const evidence = [{ sha256: sha, kind: 'photo' as const, name: 'a.jpg', warnings: [{ code: 'no_gps', message: 'x' }] }];

/** What a user fills in on each form, over its starting values: every task type has an entry. */
const filled: Record<TaskType, (v: TaskFormValues) => TaskFormValues> = {
  verification: (v) => ({
    ...v,
    determination: {
      ...v.determination,
      legality: 'illegal',
      subType: 'occupied_without_approval',
      farmlandFlags: { rural_housing: 'no' },
      evidence: [
        {
          sha256: sha,
          kind: 'photo',
          name: 'a.jpg',
          gps: { lat: 38.47, lng: 106.28 },
          capturedAt: '2026-11-20T02:20:30.000Z',
          warnings: [{ code: 'no_gps', message: 'x' }],
        },
      ],
    },
  }),
  correction: (v) => v,
  // The review starts without a decision: the reviewer chooses one.
  review: (v) => ({ ...v, decision: 'pass' }),
  direct_determination: (v) => ({ ...v, reason: '县级未修正' }),
  onsite_check: (v) => ({ ...v, decision: 'confirm', notes: '一致' }),
  extension_decision: (v) => ({ ...v, decision: 'approve' }),
  split_review: (v) => ({ ...v, decision: 'approve' }),
  merge_review: (v) => ({ ...v, decision: 'approve' }),
  military_report: (v) => ({ ...v, reportedOffline: true }),
  case_register: (v) => ({
    ...v,
    party: { ...v.party, name: '某石材有限公司', idNumber: '  ' },
    site: '水头镇某村',
    facts: '未经批准占用耕地建设厂房',
    linkPatchCodes: ['P2', 'P2'],
  }),
  stop_order: (v) => ({ ...v, documentNumber: '南自然资停〔2026〕3号', issuedOn: '2026-11-18' }),
  case_decision: (v) => ({
    ...v,
    documentNumber: '南自然资罚〔2026〕8号',
    decidedOn: '2026-11-20',
    fine: { amountYuan: 120000, collected: true, collectedYuan: 120000 },
    demolition: true,
    recultivation: true,
    criminalReferral: true,
    departments: ['agriculture'],
    path: 'demolish_recultivate',
  }),
  transfer_feedback: (v) => ({ ...v, receivedOn: '2026-12-28', result: '已立案侦查' }),
  rectification_plan: (v) => ({ ...v, responsiblePerson: '王某', measures: '拆除厂房、复垦为耕地', plannedBy: '2026-12-31' }),
  rectification: (v) => ({ ...v, completedOn: '2026-12-20', rectifiedMu: 8, evidence }),
  acceptance_county: (v) => ({ ...v, decision: 'pass' }),
  acceptance_city: (v) => ({ ...v, decision: 'pass', certificateNo: '泉拆复证〔2026〕15号' }),
  acceptance_province: (v) => ({ ...v, decision: 'confirm' }),
  recheck: (v) => ({ ...v, evidence }),
};

const context: Partial<Record<TaskType, Record<string, unknown>>> = {
  verification: { rules: { forbidOtherFor: [], farmlandFlags: ['rural_housing'] } },
  correction: { reason: '请补充', determination: legalDetermination.determination },
  review: { determination: legalDetermination.determination },
  direct_determination: { determination: legalDetermination.determination },
  onsite_check: { determination: legalDetermination.determination },
  extension_decision: { requestedDate: '2027-01-15' },
  rectification: { path: 'demolish_recultivate' },
};

describe('form values → payloads accepted by the API schema', () => {
  it('covers every task type', () => {
    expect(Object.keys(filled).sort()).toEqual([...TASK_TYPES].sort());
  });

  it.each([...TASK_TYPES])('%s', (type) => {
    const payload = buildPayload(type, filled[type](initialValues(type, context[type], patch)), context[type]);
    const parsed = completionSchemas[type].safeParse(payload);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('the review form starts without a decision, and its payload is refused on "decision" until one is chosen', () => {
    const start = initialValues('review', context.review, patch);
    expect(start.decision ?? null).toBeNull();
    const parsed = completionSchemas.review.safeParse(buildPayload('review', start, context.review));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['decision']);
  });

  it('the alternative decisions give accepted payloads too, and an empty reason is refused on "reason"', () => {
    const cases: Array<[TaskType, TaskFormValues, Record<string, unknown>?]> = [
      ['correction', { decision: 'decline', reason: '原判定无误' }],
      ['review', { decision: 'send_back', reason: '范围不符' }],
      ['onsite_check', { decision: 'overturn', determination: initialValues('onsite_check', context.onsite_check, patch).determination, reason: '实地超出' }],
      ['extension_decision', { decision: 'reject', reason: '理由不足' }],
      ['acceptance_county', { decision: 'reject', reason: '未拆除到位' }],
      ['acceptance_city', { decision: 'reject', reason: '复耕土层不足' }],
      ['acceptance_province', { decision: 'reject', reason: '复耕土层不足' }],
      ['recheck', { finding: 'rebuilt', notes: '原址复建厂房', evidence }],
      [
        'rectification',
        { completedOn: '2026-12-01', rectifiedMu: 0, approval: { type: 'land_approval', documentNumber: '闽政地〔2026〕99号', date: '2026-11-30' } },
        { path: 'legalise' },
      ],
      ['rectification', { completedOn: '2026-12-02', rectifiedMu: 0, confiscationDocument: '南没〔2026〕1号' }, { path: 'confiscate' }],
      [
        'case_decision',
        { ...filled.case_decision(initialValues('case_decision', null)), path: 'confiscate', confiscation: true, confiscationNote: '没收厂房' },
      ],
    ];
    for (const [type, values, ctx] of cases) {
      const parsed = completionSchemas[type].safeParse(buildPayload(type, values, ctx));
      expect(parsed.success, `${type}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    const empty = completionSchemas.review.safeParse(buildPayload('review', { decision: 'send_back', reason: '  ' }));
    expect(empty.success).toBe(false);
    expect(empty.error?.issues.map((i) => i.path.join('.'))).toEqual(['reason']);
  });
});

describe('what is not shown is not sent', () => {
  it('farmland answers only for an illegal patch on farmland, as booleans, unanswered ones left out', () => {
    const base = {
      subType: 'occupied_without_approval',
      areas: { totalMu: 5, farmlandMu: 2 },
      farmlandFlags: { rural_housing: 'yes', greenhouse_house: 'no', fund_project: '' },
    } as const;
    expect(determinationPayload({ ...base, legality: 'illegal' }).farmlandFlags).toEqual({ rural_housing: true, greenhouse_house: false });
    expect(determinationPayload({ ...base, legality: 'illegal', areas: { totalMu: 5, farmlandMu: 0 } }).farmlandFlags).toBeUndefined();
    expect(determinationPayload({ ...base, legality: 'other' }).farmlandFlags).toBeUndefined();
  });

  it('the major-infrastructure box (002 五(二)) only when ticked, and not for "other"', () => {
    const base = { subType: 'occupied_without_approval', areas: { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 } } as const;
    expect(determinationPayload({ ...base, legality: 'illegal', majorInfrastructure: true }).majorInfrastructure).toBe(true);
    expect(determinationPayload({ ...base, legality: 'illegal', majorInfrastructure: false })).not.toHaveProperty('majorInfrastructure');
    expect(determinationPayload({ ...base, legality: 'other', majorInfrastructure: true })).not.toHaveProperty('majorInfrastructure');
    expect(
      completionSchemas.verification.safeParse({ determination: determinationPayload({ ...base, legality: 'illegal', majorInfrastructure: true }) }).success,
    ).toBe(true);
  });

  it('approvals only when legal; evidence without its warnings; an empty area left for the server to name, never a silent 0', () => {
    const d = determinationPayload({
      legality: 'illegal',
      subType: 'other_illegal',
      approvals: [{ type: 'land_approval', documentNumber: 'x', date: '2026-01-01' }],
      areas: { totalMu: null, farmlandMu: null },
      evidence: [{ sha256: sha, kind: 'video', warnings: [{ code: 'no_gps', message: 'x' }] }],
      notes: '  ',
    });
    expect(d).toEqual({
      legality: 'illegal',
      subType: 'other_illegal',
      approvals: [],
      areas: { totalMu: undefined, farmlandMu: undefined, basicFarmlandMu: undefined, redLineMu: undefined },
      evidence: [{ sha256: sha, kind: 'video' }],
    });
    // Missing areas are for the server to name: the review coverage and the on-site thresholds read each of them.
    const parsed = completionSchemas.verification.safeParse({ determination: d });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'determination.areas.totalMu',
      'determination.areas.farmlandMu',
      'determination.areas.basicFarmlandMu',
      'determination.areas.redLineMu',
    ]);
  });
});

describe('the case forms send what the case needs', () => {
  it('registration: optional party fields only when filled, linked patches once each', () => {
    const payload = buildPayload('case_register', filled.case_register(initialValues('case_register', null)));
    expect(payload).toEqual({
      party: { name: '某石材有限公司', kind: 'organisation' },
      site: '水头镇某村',
      facts: '未经批准占用耕地建设厂房',
      linkPatchCodes: ['P2'],
    });
  });

  it('decision: the collected amount only when collected; an unfilled fine is 0; inconsistent musts are for the server to name', () => {
    const base = filled.case_decision(initialValues('case_decision', null));
    const notCollected = buildPayload('case_decision', { ...base, fine: { amountYuan: null, collected: false, collectedYuan: 5 } });
    expect(notCollected.fine).toEqual({ amountYuan: 0, collected: false });
    const missing = completionSchemas.case_decision.safeParse(
      buildPayload('case_decision', { ...base, fine: { amountYuan: 100, collected: true, collectedYuan: null } }),
    );
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['fine.collectedYuan']);
    const inconsistent = completionSchemas.case_decision.safeParse(
      buildPayload('case_decision', { ...base, path: 'demolish_recultivate', demolition: false, recultivation: false }),
    );
    expect(inconsistent.error?.issues.map((i) => i.path.join('.'))).toEqual(['demolition']);
  });

  it('rectification: the approval only when legalising, the confiscation document only when confiscating', () => {
    const values: TaskFormValues = {
      completedOn: '2026-12-01',
      rectifiedMu: 3,
      approval: { type: 'land_approval', documentNumber: 'x号', date: '2026-11-30' },
      confiscationDocument: '没〔2026〕1号',
    };
    const demolish = buildPayload('rectification', values, { path: 'demolish_recultivate' });
    expect(demolish).not.toHaveProperty('approval');
    expect(demolish).not.toHaveProperty('confiscationDocument');
    expect(buildPayload('rectification', values, { path: 'legalise' })).toHaveProperty('approval', {
      type: 'land_approval',
      documentNumber: 'x号',
      date: '2026-11-30',
    });
    expect(buildPayload('rectification', values, { path: 'confiscate' })).toMatchObject({ confiscationDocument: '没〔2026〕1号' });
    expect(buildPayload('rectification', values, { path: 'confiscate' })).not.toHaveProperty('approval');
  });

  it("acceptance: the city's certificate number on a pass, only the reason on a rejection", () => {
    expect(buildPayload('acceptance_city', { decision: 'pass', certificateNo: ' 证1号 ', reason: 'x' })).toEqual({ decision: 'pass', certificateNo: '证1号' });
    expect(buildPayload('acceptance_city', { decision: 'reject', certificateNo: '证1号', reason: '不合格' })).toEqual({ decision: 'reject', reason: '不合格' });
    const noCert = completionSchemas.acceptance_city.safeParse(buildPayload('acceptance_city', { decision: 'pass', certificateNo: '' }));
    expect(noCert.error?.issues.map((i) => i.path.join('.'))).toEqual(['certificateNo']);
  });

  it('re-check: notes are required when something changed, and named when missing', () => {
    const parsed = completionSchemas.recheck.safeParse(buildPayload('recheck', { finding: 'changed_use', notes: ' ' }));
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['notes']);
    expect(buildPayload('recheck', { finding: 'unchanged', notes: '' })).toEqual({ finding: 'unchanged', evidence: [] });
  });

  it("rectification plan: starts from the region's rectification cut-off the task carries", () => {
    expect(initialValues('rectification_plan', { rectificationDueBy: '2027-01-15' }).plannedBy).toBe('2027-01-15');
    expect(initialValues('rectification_plan', null).plannedBy).toBeNull();
  });

  it('rectification: the farmland part is sent when given', () => {
    expect(
      buildPayload('rectification', { completedOn: '2027-01-10', rectifiedMu: 10, rectifiedFarmlandMu: 2 }, { path: 'demolish_recultivate' }),
    ).toMatchObject({ rectifiedMu: 10, rectifiedFarmlandMu: 2 });
    expect(
      buildPayload('rectification', { completedOn: '2027-01-10', rectifiedMu: 10, rectifiedFarmlandMu: null }, { path: 'demolish_recultivate' }),
    ).not.toHaveProperty('rectifiedFarmlandMu');
  });

  it('only the farmland questions the region asks are sent', () => {
    const d = {
      legality: 'illegal' as const,
      subType: 'other_illegal',
      areas: { totalMu: 5, farmlandMu: 2 },
      farmlandFlags: { rural_housing: 'no' as const, greenhouse_house: 'yes' as const },
    };
    expect(determinationPayload(d, { farmlandFlags: ['rural_housing'] }).farmlandFlags).toEqual({ rural_housing: false });
    expect(determinationPayload(d).farmlandFlags).toEqual({ rural_housing: false, greenhouse_house: true });
  });

  it('the mineral part (地矿同核): sent once its first question is answered, no mining as "none", and read back', () => {
    const base = { legality: 'legal' as const, subType: 'other_legal', areas: { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 } };
    expect(determinationPayload(base)).not.toHaveProperty('mineral');
    expect(determinationPayload({ ...base, mineral: { present: 'no', finding: 'illegal_mining' } }).mineral).toEqual({ present: false, finding: 'none' });
    const payload = determinationPayload({ ...base, mineral: { present: 'yes', licensed: 'yes', licenseNumber: ' C35 ', finding: 'beyond_boundary' } });
    expect(payload.mineral).toEqual({ present: true, licensed: true, licenseNumber: 'C35', finding: 'beyond_boundary' });
    expect(completionSchemas.verification.safeParse({ determination: { ...payload, evidence: [] } }).success).toBe(true);
    expect(initialValues('correction', { determination: { ...payload, evidence: [] } }).determination?.mineral).toMatchObject({
      present: 'yes',
      licensed: 'yes',
      finding: 'beyond_boundary',
    });
  });
});
