/**
 * Form values ↔ completion payloads. The forms keep the payload's shape (so the server's error paths,
 * e.g. "determination.farmlandFlags.rural_housing", name form fields), with three differences undone
 * here: yes/no answers are strings, empty numbers are null, and evidence entries carry their warnings.
 * Pure: the payloads are checked against domain/schemas/tasks.ts in test/task-form-payloads.test.ts.
 */
import { LEGALITY_SUBTYPES } from '../../../../domain/legality';
import { FARMLAND_FLAGS, onsiteRuleMet, type EvidenceRequirement, type FarmlandFlag, type OnsiteCheckRule } from '../../../../domain/policy';
import type { Department, Legality, PatchCategory, RectificationPath, TaskType } from '../../../../domain/types';

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
  majorInfrastructure?: boolean | null;
  /** 是否有新增建（构）筑物 (000 二(五)). */
  newStructures?: YesNo | boolean | null | '';
  /** Why the areas differ from the land layers' measurement (docs/domain.md §13). */
  areasOverrideReason?: string | null;
  /** 用矿情况 (地矿同核): yes/no answers as strings, like the farmland questions. */
  mineral?: { present?: YesNo | null | ''; licensed?: YesNo | null | ''; licenseNumber?: string | null; finding?: string | null } | null;
}

export interface TaskFormValues {
  decision?: string | null;
  determination?: DeterminationValues;
  reason?: string | null;
  notes?: string | null;
  newDueDate?: string | null;
  reportedOffline?: boolean | null;
  reference?: string | null;
  // 立案
  party?: { name?: string | null; kind?: 'person' | 'organisation' | null; idNumber?: string | null; contact?: string | null };
  site?: string | null;
  facts?: string | null;
  legalBasis?: string | null;
  linkPatchCodes?: string[] | null;
  // 责令停止 / 处罚决定 / 反馈 (document numbers and dates)
  documentNumber?: string | null;
  issuedOn?: string | null;
  stopped?: boolean | null;
  decidedOn?: string | null;
  fine?: { amountYuan?: number | null; collected?: boolean | null; collectedYuan?: number | null };
  confiscation?: boolean | null;
  confiscationNote?: string | null;
  demolition?: boolean | null;
  recultivation?: boolean | null;
  disciplineReferral?: boolean | null;
  criminalReferral?: boolean | null;
  departments?: Department[] | null;
  path?: RectificationPath | null;
  receivedOn?: string | null;
  result?: string | null;
  // 整改方案 / 整改
  responsiblePerson?: string | null;
  measures?: string | null;
  plannedBy?: string | null;
  completedOn?: string | null;
  rectifiedMu?: number | null;
  rectifiedFarmlandMu?: number | null;
  evidence?: EvidenceValue[];
  approval?: { type?: string | null; documentNumber?: string | null; date?: string | null } | null;
  confiscationDocument?: string | null;
  // 验收 / 复核
  certificateNo?: string | null;
  finding?: 'unchanged' | 'rebuilt' | 'changed_use' | null;
}

/** The rules a determination task carries in its context (from the region's policy). */
export interface DeterminationRulesValue {
  forbidOtherFor?: string[];
  farmlandFlags?: FarmlandFlag[];
  /** The photos a county's determination carries (absent in tasks opened before it was a rule). */
  evidence?: EvidenceRequirement;
  /** The on-site rules that test new buildings or structures (000 二(五)): meeting one but for that, the answer is required. */
  newStructures?: OnsiteCheckRule[];
}

const text = (v: string | null | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t : undefined;
};
const mu = (v: number | null | undefined, fallback?: number): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/** An illegal determination with farmland must answer the farmland questions (000, 001; 003 adds five). */
export const asksFarmlandFlags = (d: DeterminationValues | undefined): boolean => d?.legality === 'illegal' && (mu(d.areas?.farmlandMu) ?? 0) > 0;

/**
 * Whether the determination would meet an on-site rule that tests new buildings or structures, so that the
 * answer decides the check (000 二(五)): then it is required.
 */
export const needsNewStructures = (
  d: DeterminationValues | undefined,
  rules: DeterminationRulesValue | undefined,
  category: string | null | undefined,
): boolean =>
  Boolean(
    d?.legality &&
      rules?.newStructures?.some((r) =>
        onsiteRuleMet(
          r,
          {
            legality: d.legality!,
            subType: d.subType ?? '',
            areas: {
              totalMu: mu(d.areas?.totalMu, 0)!,
              farmlandMu: mu(d.areas?.farmlandMu, 0)!,
              basicFarmlandMu: mu(d.areas?.basicFarmlandMu, 0)!,
              redLineMu: mu(d.areas?.redLineMu, 0)!,
            },
          },
          (category ?? '') as PatchCategory,
          { ignoreNewStructures: true },
        ),
      ),
  );

const yesNoValue = (v: YesNo | boolean | null | '' | undefined): boolean | undefined =>
  v === 'yes' || v === true ? true : v === 'no' || v === false ? false : undefined;

export const subTypesOf = (legality: Legality | null | undefined): readonly string[] => (legality ? LEGALITY_SUBTYPES[legality] : []);

export function determinationPayload(d: DeterminationValues | undefined, rules?: DeterminationRulesValue) {
  const v = d ?? {};
  const flags: Partial<Record<FarmlandFlag, boolean>> = {};
  if (asksFarmlandFlags(v)) {
    // The questions the region asks (all six when the task does not say).
    for (const flag of rules?.farmlandFlags ?? FARMLAND_FLAGS) {
      const answer = v.farmlandFlags?.[flag];
      if (answer === 'yes' || answer === true) flags[flag] = true;
      if (answer === 'no' || answer === false) flags[flag] = false;
    }
  }
  const notes = text(v.notes);
  const overrideReason = text(v.areasOverrideReason);
  return {
    legality: v.legality ?? undefined,
    subType: v.subType ?? undefined,
    approvals:
      v.legality === 'legal'
        ? (v.approvals ?? []).map((a) => ({ type: a.type ?? undefined, documentNumber: text(a.documentNumber), date: a.date ?? undefined }))
        : [],
    areas: {
      totalMu: mu(v.areas?.totalMu),
      farmlandMu: mu(v.areas?.farmlandMu),
      basicFarmlandMu: mu(v.areas?.basicFarmlandMu),
      redLineMu: mu(v.areas?.redLineMu),
    },
    ...(Object.keys(flags).length ? { farmlandFlags: flags } : {}),
    evidence: evidencePayload(v.evidence),
    ...(notes ? { notes } : {}),
    ...(overrideReason ? { areasOverrideReason: overrideReason } : {}),
    ...(v.majorInfrastructure && v.legality !== 'other' ? { majorInfrastructure: true } : {}),
    ...(yesNoValue(v.newStructures) !== undefined ? { newStructures: yesNoValue(v.newStructures) } : {}),
    ...mineralPayload(v.mineral),
  };
}

/** The mineral part, where its first question is answered: no mining is "none"; otherwise as answered. */
function mineralPayload(m: DeterminationValues['mineral']) {
  const present = yesNoValue(m?.present ?? undefined);
  if (present === undefined) return {};
  if (!present) return { mineral: { present: false, finding: 'none' } };
  const licensed = yesNoValue(m?.licensed ?? undefined);
  const licenseNumber = licensed ? text(m?.licenseNumber) : undefined;
  return {
    mineral: { present: true, ...(licensed !== undefined ? { licensed } : {}), ...(licenseNumber ? { licenseNumber } : {}), finding: m?.finding ?? undefined },
  };
}

/** Evidence entries without what only the form shows (warnings). */
export const evidencePayload = (list: EvidenceValue[] | undefined) =>
  (list ?? []).map((e) => ({
    sha256: e.sha256,
    kind: e.kind,
    ...(e.name ? { name: e.name } : {}),
    ...(e.gps ? { gps: e.gps } : {}),
    ...(e.capturedAt ? { capturedAt: e.capturedAt } : {}),
  }));

/** Optional fields: present only when filled in. */
const optional = (entries: Record<string, string | number | undefined | null>) =>
  Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== null && v !== ''));

const yes = (v: boolean | null | undefined) => v === true;

/** The body of POST /api/tasks/:id/complete for a task type (the context says what the task needs: rules, rectification path). */
export function buildPayload(type: TaskType, values: TaskFormValues, context?: Record<string, unknown> | null): Record<string, unknown> {
  const reason = text(values.reason);
  const notes = text(values.notes);
  const rules = (context?.rules ?? undefined) as DeterminationRulesValue | undefined;
  const determination = () => determinationPayload(values.determination, rules);
  switch (type) {
    case 'verification':
      return { determination: determination() };
    case 'correction':
      return values.decision === 'decline' ? { decision: 'decline', reason } : { decision: values.decision ?? undefined, determination: determination() };
    case 'review':
      return values.decision === 'send_back' ? { decision: 'send_back', reason } : { decision: values.decision ?? undefined };
    case 'direct_determination':
      return { determination: determination(), ...(reason ? { reason } : {}) };
    case 'onsite_check':
      if (values.decision === 'overturn') return { decision: 'overturn', determination: determination(), reason };
      if (values.decision === 'reject') return { decision: 'reject', reason };
      return { decision: values.decision ?? undefined, ...(notes ? { notes } : {}) };
    case 'split_review':
    case 'merge_review':
      return values.decision === 'reject' ? { decision: 'reject', reason } : { decision: values.decision ?? undefined, ...(notes ? { notes } : {}) };
    case 'extension_decision':
      return values.decision === 'reject'
        ? { decision: 'reject', reason }
        : { decision: values.decision ?? undefined, newDueDate: values.newDueDate ?? undefined, ...(reason ? { reason } : {}) };
    case 'military_report': {
      const reference = text(values.reference);
      return { reportedOffline: values.reportedOffline === true ? true : (values.reportedOffline ?? undefined), ...(reference ? { reference } : {}) };
    }
    case 'case_register': {
      const p = values.party ?? {};
      return {
        party: { name: text(p.name), kind: p.kind ?? undefined, ...optional({ idNumber: text(p.idNumber), contact: text(p.contact) }) },
        site: text(values.site),
        facts: text(values.facts),
        ...optional({ legalBasis: text(values.legalBasis) }),
        linkPatchCodes: [...new Set(values.linkPatchCodes ?? [])],
      };
    }
    case 'stop_order':
      return { documentNumber: text(values.documentNumber), issuedOn: values.issuedOn ?? undefined, stopped: yes(values.stopped), ...optional({ notes }) };
    case 'case_decision': {
      const fine = values.fine ?? {};
      const collected = yes(fine.collected);
      const confiscation = yes(values.confiscation);
      return {
        documentNumber: text(values.documentNumber),
        decidedOn: values.decidedOn ?? undefined,
        fine: { amountYuan: mu(fine.amountYuan, 0), collected, ...(collected ? optional({ collectedYuan: mu(fine.collectedYuan) }) : {}) },
        confiscation,
        ...(confiscation ? optional({ confiscationNote: text(values.confiscationNote) }) : {}),
        demolition: yes(values.demolition),
        recultivation: yes(values.recultivation),
        disciplineReferral: yes(values.disciplineReferral),
        criminalReferral: yes(values.criminalReferral),
        departments: [...new Set(values.departments ?? [])],
        path: values.path ?? undefined,
      };
    }
    case 'transfer_feedback':
      return { receivedOn: values.receivedOn ?? undefined, result: text(values.result), ...optional({ documentNumber: text(values.documentNumber) }) };
    case 'rectification_plan':
      return { responsiblePerson: text(values.responsiblePerson), measures: text(values.measures), plannedBy: values.plannedBy ?? undefined };
    case 'rectification': {
      // The path decided in the case decides what proves the rectification (补办: the approval; 没收: the document).
      const path = context?.path as RectificationPath | undefined;
      const a = values.approval ?? {};
      return {
        completedOn: values.completedOn ?? undefined,
        rectifiedMu: mu(values.rectifiedMu),
        ...(typeof values.rectifiedFarmlandMu === 'number' ? { rectifiedFarmlandMu: values.rectifiedFarmlandMu } : {}),
        ...optional({ notes }),
        evidence: evidencePayload(values.evidence),
        ...(path === 'legalise' ? { approval: { type: a.type ?? undefined, documentNumber: text(a.documentNumber), date: a.date ?? undefined } } : {}),
        ...(path === 'confiscate' ? { confiscationDocument: text(values.confiscationDocument) } : {}),
      };
    }
    case 'acceptance_county':
      return values.decision === 'reject' ? { decision: 'reject', reason } : { decision: values.decision ?? undefined, ...optional({ notes }) };
    case 'acceptance_city':
      return values.decision === 'reject'
        ? { decision: 'reject', reason }
        : { decision: values.decision ?? undefined, certificateNo: text(values.certificateNo), ...optional({ notes }) };
    case 'acceptance_province':
      return values.decision === 'reject' ? { decision: 'reject', reason } : { decision: values.decision ?? undefined, ...optional({ notes }) };
    case 'recheck':
      return {
        finding: values.finding ?? undefined,
        ...(values.finding === 'unchanged' ? optional({ notes }) : { notes }),
        evidence: evidencePayload(values.evidence),
      };
  }
}

interface PatchLike {
  areaMu?: number | null;
  farmlandMu?: number | null;
  /** The land layers' measurement (docs/domain.md §13): its areas fill the form where there is one. */
  measurement?: { suggestedAreas?: { totalMu: number; farmlandMu: number; basicFarmlandMu: number; redLineMu: number } } | null;
}

/** A determination as the server stores it → form values (for corrections and overturns). */
export function determinationValues(d: unknown, patch?: PatchLike): DeterminationValues {
  if (!d || typeof d !== 'object') {
    return {
      legality: null,
      subType: null,
      approvals: [],
      areas: patch?.measurement?.suggestedAreas
        ? { ...patch.measurement.suggestedAreas }
        : { totalMu: patch?.areaMu ?? null, farmlandMu: patch?.farmlandMu ?? 0, basicFarmlandMu: 0, redLineMu: 0 },
      areasOverrideReason: '',
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
    areasOverrideReason: det.areasOverrideReason ?? '',
    farmlandFlags: flags,
    evidence: det.evidence ?? [],
    notes: det.notes ?? '',
    majorInfrastructure: det.majorInfrastructure === true,
    ...(typeof det.newStructures === 'boolean' ? { newStructures: det.newStructures ? 'yes' : 'no' } : {}),
    ...(det.mineral
      ? {
          mineral: {
            present: det.mineral.present ? 'yes' : 'no',
            ...(typeof det.mineral.licensed === 'boolean' ? { licensed: det.mineral.licensed ? 'yes' : 'no' } : {}),
            licenseNumber: det.mineral.licenseNumber ?? '',
            finding: det.mineral.present ? det.mineral.finding : null,
          },
        }
      : {}),
  };
}

/** Initial form values of a task: the determination under review is the starting point where there is one. */
export function initialValues(
  type: TaskType,
  context: Record<string, unknown> | null | undefined,
  patch?: PatchLike & { determination?: unknown },
): TaskFormValues {
  const current = context?.determination ?? patch?.determination;
  switch (type) {
    case 'verification':
      return { determination: determinationValues(undefined, patch) };
    case 'correction':
      return { decision: 'submit', determination: determinationValues(current, patch), reason: '' };
    case 'direct_determination':
      return { determination: determinationValues(current, patch), reason: '' };
    case 'onsite_check':
      // No decision chosen for the checker either: confirming, overturning and accepting are each a click of their own.
      return { decision: null, determination: determinationValues(current, patch), reason: '', notes: '' };
    case 'review':
      // No decision until the reviewer chooses one: a stray click on submit passes nothing.
      return { decision: null, reason: '' };
    case 'split_review':
    case 'merge_review':
      return { decision: null, reason: '', notes: '' };
    case 'extension_decision':
      return { decision: null, newDueDate: typeof context?.requestedDate === 'string' ? context.requestedDate : null, reason: '' };
    case 'military_report':
      return { reportedOffline: false, reference: '' };
    case 'case_register':
      return { party: { name: '', kind: 'organisation', idNumber: '', contact: '' }, site: '', facts: '', legalBasis: '', linkPatchCodes: [] };
    case 'stop_order':
      return { documentNumber: '', issuedOn: null, stopped: true, notes: '' };
    case 'case_decision':
      return {
        documentNumber: '',
        decidedOn: null,
        fine: { amountYuan: null, collected: false, collectedYuan: null },
        confiscation: false,
        confiscationNote: '',
        demolition: false,
        recultivation: false,
        disciplineReferral: false,
        criminalReferral: false,
        departments: [],
        path: null,
      };
    case 'transfer_feedback':
      return { receivedOn: null, result: '', documentNumber: '' };
    case 'rectification_plan':
      // Starts from the region's rectification cut-off (Liaocheng: 15 January of the next year, 003 三(四)).
      return { responsiblePerson: '', measures: '', plannedBy: typeof context?.rectificationDueBy === 'string' ? context.rectificationDueBy : null };
    case 'rectification':
      return {
        completedOn: null,
        rectifiedMu: null,
        notes: '',
        evidence: [],
        approval: { type: null, documentNumber: '', date: null },
        confiscationDocument: '',
      };
    case 'acceptance_county':
    case 'acceptance_city':
      return { decision: null, certificateNo: '', notes: '', reason: '' };
    case 'acceptance_province':
      return { decision: null, notes: '', reason: '' };
    case 'recheck':
      return { finding: 'unchanged', notes: '', evidence: [] };
  }
}
