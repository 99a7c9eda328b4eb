/**
 * The essential checks of a case task's completion, in plain TypeScript so that the case workflow's Update
 * validator can run them (workflows import no zod): the shape the workflow relies on and the rules of the
 * decision's "six musts" (六个该, 002 六(二)). The API's zod schemas (domain/schemas/tasks.ts) check the same
 * and more before an Update is sent; these stop a completion that reaches the workflow any other way.
 */
import { DEPARTMENTS, RECTIFICATION_PATHS, type TaskType } from './types';

export interface PayloadIssue {
  path: string;
  rule: string;
  message: string;
  /** The same in English (what the API answers a request asking for English). */
  messageEn: string;
}

type Obj = Record<string, unknown>;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date "YYYY-MM-DD". */
export function isLocalDate(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const isText = (v: unknown, min = 1): v is string => typeof v === 'string' && v.trim().length >= min;
const isAmount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with a case task's payload (empty when nothing is). */
export function checkCasePayload(type: TaskType, payload: Obj): PayloadIssue[] {
  const out: PayloadIssue[] = [];
  const need = (ok: boolean, path: string, message: string, messageEn: string, rule = 'required') => {
    if (!ok) out.push({ path, rule, message, messageEn });
  };
  // English names the field by its path.
  const text = (path: string, label: string) => need(isText(payload[path]), path, `请填写${label}`, `${path} is required`);
  const date = (path: string, label: string) =>
    need(isLocalDate(payload[path]), path, `${label}应为日期 YYYY-MM-DD`, `${path} should be a date YYYY-MM-DD`, 'date');
  const bool = (path: string, label: string) => need(typeof payload[path] === 'boolean', path, `请选择${label}`, `${path}: answer yes or no`);
  const decision = (allowed: string[]) => {
    need(
      typeof payload.decision === 'string' && allowed.includes(payload.decision),
      'decision',
      `结论应为 ${allowed.join(' / ')}`,
      `the decision should be ${allowed.join(' / ')}`,
      'enum',
    );
    if (payload.decision === 'reject') text('reason', '退回理由');
  };
  switch (type) {
    case 'case_register': {
      const party = payload.party;
      need(isObj(party) && isText(party.name), 'party.name', '请填写当事人名称', "the party's name is required");
      need(
        isObj(party) && (party.kind === 'person' || party.kind === 'organisation'),
        'party.kind',
        '当事人类型应为个人或单位',
        'the party is a person or an organisation',
        'enum',
      );
      text('site', '违法地点');
      text('facts', '违法事实');
      const links = payload.linkPatchCodes;
      need(
        links === undefined || (Array.isArray(links) && links.length <= 20 && links.every((c) => isText(c))),
        'linkPatchCodes',
        '并案图斑应为图斑编号列表（至多20个）',
        'the linked patches are a list of at most 20 patch codes',
        'type',
      );
      break;
    }
    case 'stop_order':
      text('documentNumber', '责令停止违法行为通知书文号');
      date('issuedOn', '送达日期');
      bool('stopped', '违法行为是否已停止');
      break;
    case 'case_decision': {
      text('documentNumber', '处罚决定书文号');
      date('decidedOn', '决定日期');
      const fine = payload.fine;
      need(isObj(fine) && isAmount(fine.amountYuan), 'fine.amountYuan', '罚款金额应为不小于0的数', 'the fine is a number of at least 0');
      need(isObj(fine) && typeof fine.collected === 'boolean', 'fine.collected', '请选择罚款是否已收缴', 'fine.collected: answer yes or no');
      for (const [k, label] of [
        ['confiscation', '是否没收'],
        ['demolition', '是否拆除'],
        ['recultivation', '是否复耕复绿'],
        ['disciplineReferral', '是否移送纪检监察'],
        ['criminalReferral', '是否移送司法机关'],
      ] as const)
        bool(k, label);
      const departments = payload.departments;
      need(
        Array.isArray(departments) &&
          departments.every((d) => (DEPARTMENTS as readonly unknown[]).includes(d)) &&
          new Set(departments).size === departments.length,
        'departments',
        '移交部门应为不重复的已知部门',
        'the departments are known departments, each named once',
        'enum',
      );
      need((RECTIFICATION_PATHS as readonly unknown[]).includes(payload.path), 'path', '请选择整改方式', 'choose the rectification path', 'enum');
      // 六个该: the decision's measures must fit the path chosen, and a collected fine says how much.
      if (payload.path === 'confiscate' && payload.confiscation !== true)
        out.push({
          path: 'confiscation',
          rule: 'six_musts',
          message: '整改方式为没收时须决定没收',
          messageEn: 'the rectification path is confiscation: the decision must confiscate',
        });
      if (payload.path === 'demolish_recultivate' && payload.demolition !== true && payload.recultivation !== true) {
        out.push({
          path: 'demolition',
          rule: 'six_musts',
          message: '整改方式为拆除复耕时须决定拆除或复耕复绿',
          messageEn: 'the rectification path is demolition and re-cultivation: the decision must order demolition or re-cultivation',
        });
      }
      if (isObj(fine) && fine.collected === true && !isAmount(fine.collectedYuan))
        out.push({
          path: 'fine.collectedYuan',
          rule: 'six_musts',
          message: '已收缴罚款须填写收缴金额',
          messageEn: 'a collected fine needs the amount collected',
        });
      break;
    }
    case 'transfer_feedback':
      date('receivedOn', '反馈日期');
      text('result', '查处结果');
      break;
    case 'rectification_plan':
      text('responsiblePerson', '整改责任人');
      text('measures', '整改措施');
      date('plannedBy', '整改时限');
      break;
    case 'rectification':
      date('completedOn', '整改完成日期');
      need(isAmount(payload.rectifiedMu), 'rectifiedMu', '整改面积应为不小于0的数', 'the area rectified is a number of at least 0');
      need(
        payload.rectifiedFarmlandMu === undefined || isAmount(payload.rectifiedFarmlandMu),
        'rectifiedFarmlandMu',
        '其中耕地面积应为不小于0的数',
        'the farmland rectified is a number of at least 0',
      );
      need(payload.evidence === undefined || Array.isArray(payload.evidence), 'evidence', '举证材料应为列表', 'the evidence is a list', 'type');
      break;
    case 'acceptance_county':
      decision(['pass', 'reject']);
      break;
    case 'onsite_check':
      // A case checks the rectification result: it is as reported, or not (no new determination here).
      decision(['confirm', 'reject']);
      if (payload.decision === 'reject') text('reason', '未通过的理由');
      break;
    case 'acceptance_city':
      decision(['pass', 'reject']);
      if (payload.decision === 'pass') text('certificateNo', '拆除复耕到位证明编号');
      break;
    case 'acceptance_province':
      decision(['confirm', 'reject']);
      break;
    case 'extension_decision':
      decision(['approve', 'reject']);
      if (payload.decision === 'approve') date('newDueDate', '延期后的截止日期');
      break;
    default:
      break;
  }
  return out;
}
