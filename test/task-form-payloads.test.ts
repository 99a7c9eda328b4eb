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

/** What a user fills in on each form, over its starting values. */
const filled: Partial<Record<TaskType, (v: TaskFormValues) => TaskFormValues>> = {
  verification: (v) => ({
    ...v,
    determination: {
      ...v.determination,
      legality: 'illegal',
      subType: 'occupied_without_approval',
      farmlandFlags: { rural_housing: 'no' },
      evidence: [{ sha256: sha, kind: 'photo', name: 'a.jpg', gps: { lat: 38.47, lng: 106.28 }, capturedAt: '2026-11-20T02:20:30.000Z', warnings: [{ code: 'no_gps', message: 'x' }] }],
    },
  }),
  correction: (v) => v,
  review: (v) => v,
  direct_determination: (v) => ({ ...v, reason: '县级未修正' }),
  onsite_check: (v) => ({ ...v, notes: '一致' }),
  extension_decision: (v) => v,
  military_report: (v) => ({ ...v, reportedOffline: true }),
};

const context: Partial<Record<TaskType, Record<string, unknown>>> = {
  correction: { reason: '请补充', determination: legalDetermination.determination },
  review: { determination: legalDetermination.determination },
  direct_determination: { determination: legalDetermination.determination },
  onsite_check: { determination: legalDetermination.determination },
  extension_decision: { requestedDate: '2027-01-15' },
};

describe('form values → payloads accepted by the API schema', () => {
  it.each(Object.keys(filled) as TaskType[])('%s', (type) => {
    const payload = buildPayload(type, filled[type]!(initialValues(type, context[type], patch)));
    const parsed = completionSchemas[type].safeParse(payload);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('the alternative decisions give accepted payloads too, and an empty reason is refused on "reason"', () => {
    const cases: Array<[TaskType, TaskFormValues]> = [
      ['correction', { decision: 'decline', reason: '原判定无误' }],
      ['review', { decision: 'send_back', reason: '范围不符' }],
      ['onsite_check', { decision: 'overturn', determination: initialValues('onsite_check', context.onsite_check, patch).determination, reason: '实地超出' }],
      ['extension_decision', { decision: 'reject', reason: '理由不足' }],
    ];
    for (const [type, values] of cases) expect(completionSchemas[type].safeParse(buildPayload(type, values)).success).toBe(true);
    const empty = completionSchemas.review.safeParse(buildPayload('review', { decision: 'send_back', reason: '  ' }));
    expect(empty.success).toBe(false);
    expect(empty.error?.issues.map((i) => i.path.join('.'))).toEqual(['reason']);
  });
});

describe('what is not shown is not sent', () => {
  it('farmland answers only for an illegal patch on farmland, as booleans, unanswered ones left out', () => {
    const base = { subType: 'occupied_without_approval', areas: { totalMu: 5, farmlandMu: 2 }, farmlandFlags: { rural_housing: 'yes', greenhouse_house: 'no', fund_project: '' } } as const;
    expect(determinationPayload({ ...base, legality: 'illegal' }).farmlandFlags).toEqual({ rural_housing: true, greenhouse_house: false });
    expect(determinationPayload({ ...base, legality: 'illegal', areas: { totalMu: 5, farmlandMu: 0 } }).farmlandFlags).toBeUndefined();
    expect(determinationPayload({ ...base, legality: 'other' }).farmlandFlags).toBeUndefined();
  });

  it('approvals only when legal; evidence without its warnings; empty areas as 0 except the total', () => {
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
      areas: { totalMu: undefined, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 },
      evidence: [{ sha256: sha, kind: 'video' }],
    });
    // A missing total is for the server to name: determination.areas.totalMu.
    const parsed = completionSchemas.verification.safeParse({ determination: d });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['determination.areas.totalMu']);
  });
});
