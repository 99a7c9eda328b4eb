/**
 * Form values ↔ completion payloads. The forms keep the payload's shape (so the server's error paths,
 * e.g. "determination.farmlandFlags.rural_housing", name form fields), with three differences undone
 * here: yes/no answers are strings, empty numbers are null, and evidence entries carry their warnings.
 * Pure: the payloads are checked against domain/schemas/tasks.ts in test/task-forms.test.ts.
 */
import { LEGALITY_SUBTYPES } from '../../../../domain/legality';
import { FARMLAND_FLAGS, type FarmlandFlag } from '../../../../domain/policy';
import type { Legality, TaskType } from '../../../../domain/types';

export type YesNo = 'yes' | 'no';

export interface EvidenceValue {
  sha256: string;
  kind: 'photo' | 'video';
  name?: string;
  gps?: { lat: number; lng: number };
  capturedAt?: string;
  /** Shown in the form only; not part of the payload. */
  warnings?: Array<{ code: string; message: string }>;
}

export interface DeterminationValues {
  legality?: Legality | null;
  subType?: string | null;
  approvals?: Array<{ type?: string | null; documentNumber?: string | null; date?: string | null }>;
  areas?: { totalMu?: number | null; farmlandMu?: number | null; basicFarmlandMu?: number | null; redLineMu?: number | null };
  farmlandFlags?: Partial<Record<FarmlandFlag, YesNo | boolean | null | ''>>;
  evidence?: EvidenceValue[];
  notes?: string | null;
}

export interface TaskFormValues {
  decision?: string | null;
  determination?: DeterminationValues;
  reason?: string | null;
  notes?: string | null;
  newDueDate?: string | null;
  reportedOffline?: boolean | null;
  reference?: string | null;
}

const text = (v: string | null | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};
const mu = (v: number | null | undefined, fallback?: number): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/** An illegal determination with farmland must answer the farmland questions (000, 001; 003 adds five). */
export const asksFarmlandFlags = (d: DeterminationValues | undefined): boolean =>
  d?.legality === 'illegal' && (mu(d.areas?.farmlandMu) ?? 0) > 0;

export const subTypesOf = (legality: Legality | null | undefined): readonly string[] => (legality ? LEGALITY_SUBTYPES[legality] : []);

export function determinationPayload(d: DeterminationValues | undefined) {
  const v = d ?? {};
  const flags: Partial<Record<FarmlandFlag, boolean>> = {};
  if (asksFarmlandFlags(v)) {
    for (const flag of FARMLAND_FLAGS) {
      const answer = v.farmlandFlags?.[flag];
      if (answer === 'yes' || answer === true) flags[flag] = true;
      if (answer === 'no' || answer === false) flags[flag] = false;
    }
  }
  const notes = text(v.notes);
  return {
    legality: v.legality ?? undefined,
    subType: v.subType ?? undefined,
    approvals:
      v.legality === 'legal'
        ? (v.approvals ?? []).map((a) => ({ type: a.type ?? undefined, documentNumber: text(a.documentNumber), date: a.date ?? undefined }))
        : [],
    areas: {
      totalMu: mu(v.areas?.totalMu),
      farmlandMu: mu(v.areas?.farmlandMu, 0),
      basicFarmlandMu: mu(v.areas?.basicFarmlandMu, 0),
      redLineMu: mu(v.areas?.redLineMu, 0),
    },
    ...(Object.keys(flags).length ? { farmlandFlags: flags } : {}),
    evidence: (v.evidence ?? []).map((e) => ({
      sha256: e.sha256,
      kind: e.kind,
      ...(e.name ? { name: e.name } : {}),
      ...(e.gps ? { gps: e.gps } : {}),
      ...(e.capturedAt ? { capturedAt: e.capturedAt } : {}),
    })),
    ...(notes ? { notes } : {}),
  };
}

/** The body of POST /api/tasks/:id/complete for a task type. */
export function buildPayload(type: TaskType, values: TaskFormValues): Record<string, unknown> {
  const reason = text(values.reason);
  switch (type) {
    case 'verification':
      return { determination: determinationPayload(values.determination) };
    case 'correction':
      return values.decision === 'decline'
        ? { decision: 'decline', reason }
        : { decision: values.decision ?? undefined, determination: determinationPayload(values.determination) };
    case 'review':
      return values.decision === 'send_back' ? { decision: 'send_back', reason } : { decision: values.decision ?? undefined };
    case 'direct_determination':
      return { determination: determinationPayload(values.determination), ...(reason ? { reason } : {}) };
    case 'onsite_check': {
      if (values.decision === 'overturn') return { decision: 'overturn', determination: determinationPayload(values.determination), reason };
      const notes = text(values.notes);
      return { decision: values.decision ?? undefined, ...(notes ? { notes } : {}) };
    }
    case 'extension_decision':
      return values.decision === 'reject'
        ? { decision: 'reject', reason }
        : { decision: values.decision ?? undefined, newDueDate: values.newDueDate ?? undefined, ...(reason ? { reason } : {}) };
    case 'military_report': {
      const reference = text(values.reference);
      return { reportedOffline: values.reportedOffline === true ? true : values.reportedOffline ?? undefined, ...(reference ? { reference } : {}) };
    }
    default:
      return { ...values };
  }
}

interface PatchLike {
  areaMu?: number | null;
  farmlandMu?: number | null;
}

/** A determination as the server stores it → form values (for corrections and overturns). */
export function determinationValues(d: unknown, patch?: PatchLike): DeterminationValues {
  if (!d || typeof d !== 'object') {
    return {
      legality: null,
      subType: null,
      approvals: [],
      areas: { totalMu: patch?.areaMu ?? null, farmlandMu: patch?.farmlandMu ?? 0, basicFarmlandMu: 0, redLineMu: 0 },
      farmlandFlags: {},
      evidence: [],
      notes: '',
    };
  }
  const det = d as Record<string, any>;
  const flags: DeterminationValues['farmlandFlags'] = {};
  for (const [k, v] of Object.entries((det.farmlandFlags ?? {}) as Record<string, boolean>)) flags[k as FarmlandFlag] = v ? 'yes' : 'no';
  return {
    legality: det.legality ?? null,
    subType: det.subType ?? null,
    approvals: det.approvals ?? [],
    areas: { ...det.areas },
    farmlandFlags: flags,
    evidence: det.evidence ?? [],
    notes: det.notes ?? '',
  };
}

/** Initial form values of a task: the determination under review is the starting point where there is one. */
export function initialValues(type: TaskType, context: Record<string, unknown> | null | undefined, patch?: PatchLike & { determination?: unknown }): TaskFormValues {
  const current = context?.determination ?? patch?.determination;
  switch (type) {
    case 'verification':
      return { determination: determinationValues(undefined, patch) };
    case 'correction':
      return { decision: 'submit', determination: determinationValues(current, patch), reason: '' };
    case 'direct_determination':
      return { determination: determinationValues(current, patch), reason: '' };
    case 'onsite_check':
      return { decision: 'confirm', determination: determinationValues(current, patch), reason: '', notes: '' };
    case 'review':
      return { decision: 'pass', reason: '' };
    case 'extension_decision':
      return { decision: 'approve', newDueDate: typeof context?.requestedDate === 'string' ? context.requestedDate : null, reason: '' };
    case 'military_report':
      return { reportedOffline: false, reference: '' };
    default:
      return {};
  }
}
