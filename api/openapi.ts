/**
 * The OpenAPI document served at /api/docs (JSON at /api/docs/json). fastify-type-provider-zod describes
 * each route from its own zod schemas; this module adds what a route's schema cannot say:
 * - the body of POST /api/tasks/{id}/complete, which the API picks by the task's type: one schema per task
 *   type, generated from the very zod schemas the API validates with (domain/schemas/tasks.ts), each with
 *   its examples, as a union discriminated by `taskType` (optional in the body: when sent, it must be the
 *   task's type);
 * - the one error shape every 4xx and 503 answers (api/errors.ts);
 * - the filters each list route reads from its `filter` parameter (react-admin simple-rest).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { completionSchemas } from '../domain/schemas/tasks';
import { TASK_TYPES, type TaskType } from '../domain/types';

type Json = Record<string, unknown>;

const SHA = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';
const legal = {
  legality: 'legal',
  subType: 'approved_construction',
  approvals: [{ type: 'land_approval', documentNumber: '宁政土批〔2026〕12号', date: '2026-03-01' }],
  areas: { totalMu: 30, farmlandMu: 20, basicFarmlandMu: 0, redLineMu: 0 },
  evidence: [{ sha256: SHA, kind: 'photo' }],
};
const illegal = {
  legality: 'illegal',
  subType: 'occupied_without_approval',
  approvals: [],
  areas: { totalMu: 30, farmlandMu: 20, basicFarmlandMu: 5, redLineMu: 0 },
  farmlandFlags: {
    rural_housing: false,
    greenhouse_house: false,
    landscape_lake: false,
    fund_project: false,
    affordable_housing: false,
    epidemic_medical: false,
  },
  evidence: [{ sha256: SHA, kind: 'photo' }],
  notes: '未批先建，占用耕地20亩',
};

/** Each task type's completion bodies, one example per form (a discriminated union's every branch). */
export const COMPLETION_EXAMPLES: Record<TaskType, Array<{ summary: string; value: Json }>> = {
  verification: [
    { summary: '合法（有批准文件）', value: { determination: legal } },
    { summary: '违法（占用耕地，答复耕地问题）', value: { determination: illegal } },
  ],
  correction: [
    { summary: '按要求修改后重新提交', value: { decision: 'submit', determination: illegal } },
    { summary: '不予修改（说明理由）', value: { decision: 'decline', reason: '实地核实无误，维持原判定' } },
  ],
  review: [
    { summary: '审核通过', value: { decision: 'pass' } },
    { summary: '退回修改', value: { decision: 'send_back', reason: '耕地面积与影像不符，请核实' } },
  ],
  direct_determination: [{ summary: '上级直接认定', value: { determination: illegal, reason: '县级拒不修改' } }],
  onsite_check: [
    { summary: '实地核查属实', value: { decision: 'confirm', notes: '与填报一致' } },
    { summary: '实地核查推翻', value: { decision: 'overturn', determination: illegal, reason: '实地为新建厂房' } },
  ],
  extension_decision: [
    { summary: '同意延期', value: { decision: 'approve', newDueDate: '2027-01-31', reason: '台风影响外业' } },
    { summary: '不同意延期', value: { decision: 'reject', reason: '理由不充分' } },
  ],
  military_report: [{ summary: '已线下报送', value: { reportedOffline: true, reference: '军报〔2026〕3号' } }],
  case_register: [
    {
      summary: '立案',
      value: {
        party: { name: '某某建材有限公司', kind: 'organisation', idNumber: '91640100MA7X000000', contact: '0951-0000000' },
        site: '兴庆区掌政镇某村',
        facts: '未经批准占用耕地20亩建设厂房',
        legalBasis: '《土地管理法》第七十七条',
        linkPatchCodes: [],
      },
    },
  ],
  stop_order: [{ summary: '责令停止违法行为', value: { documentNumber: '兴自然资停〔2026〕5号', issuedOn: '2026-11-20', stopped: true } }],
  case_decision: [
    {
      summary: '处罚决定（六个该）',
      value: {
        documentNumber: '兴自然资罚〔2026〕8号',
        decidedOn: '2026-11-25',
        fine: { amountYuan: 120000, collected: true, collectedYuan: 120000 },
        confiscation: false,
        demolition: true,
        recultivation: true,
        disciplineReferral: false,
        criminalReferral: false,
        departments: ['agriculture'],
        path: 'demolish_recultivate',
      },
    },
  ],
  transfer_feedback: [{ summary: '移送反馈', value: { receivedOn: '2026-12-20', result: '已立案调查', documentNumber: '农函〔2026〕2号' } }],
  rectification_plan: [{ summary: '整改方案', value: { responsiblePerson: '张三', measures: '拆除厂房，复垦复绿', plannedBy: '2027-03-31' } }],
  rectification: [
    {
      summary: '部分整改（其中耕地）',
      value: { completedOn: '2027-02-10', rectifiedMu: 12, rectifiedFarmlandMu: 8, evidence: [{ sha256: SHA, kind: 'photo' }] },
    },
    {
      summary: '补办用地手续',
      value: { completedOn: '2027-02-10', rectifiedMu: 30, approval: { type: 'land_approval', documentNumber: '宁政土批〔2027〕3号', date: '2027-02-01' } },
    },
  ],
  acceptance_county: [
    { summary: '县级初验通过', value: { decision: 'pass' } },
    { summary: '县级初验不通过', value: { decision: 'reject', reason: '仍有建筑未拆除' } },
  ],
  acceptance_city: [
    { summary: '市级验收通过（验收证书）', value: { decision: 'pass', certificateNo: '银自然资验〔2027〕1号' } },
    { summary: '市级验收不通过', value: { decision: 'reject', reason: '复耕未达标' } },
  ],
  acceptance_province: [
    { summary: '省级确认', value: { decision: 'confirm' } },
    { summary: '省级退回', value: { decision: 'reject', reason: '耕地质量未达标' } },
  ],
  recheck: [
    { summary: '复查无变化', value: { finding: 'unchanged', evidence: [{ sha256: SHA, kind: 'photo' }] } },
    { summary: '复查发现重建', value: { finding: 'rebuilt', notes: '原址重建简易房', evidence: [] } },
  ],
  split_review: [
    { summary: '同意拆分', value: { decision: 'approve', notes: '分属不同审批' } },
    { summary: '不同意拆分', value: { decision: 'reject', reason: '拆分界线与影像不符' } },
  ],
  merge_review: [
    { summary: '同意合并', value: { decision: 'approve', notes: '同一地块、同一情形' } },
    { summary: '不同意合并', value: { decision: 'reject', reason: '两图斑用地情形不同' } },
  ],
};

const ERROR_SCHEMA: Json = {
  type: 'object',
  description:
    'Every 4xx (and 503) answers this shape. `message` is in the language asked for (Chinese unless Accept-Language: en); `errors` maps field paths to messages (react-admin shows them on the form fields); each issue names its field (`path`), what is wrong (`code`: a zod issue code or a named rule), the values the message names (`params`) and, for a region rule the payload breaks, the `rule`.',
  properties: {
    code: {
      type: 'string',
      description:
        'What went wrong, e.g. InvalidPayload (422), RuleViolation (422), Forbidden (403), TaskNotOpen (409), TaskNotFound / NotFound (404), Unauthorized (401), TooManyRequests (429), Unavailable (503).',
    },
    message: { type: 'string' },
    errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'field path → message' },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'code', 'message'],
        properties: {
          path: { type: 'string', example: 'determination.areas.farmlandMu' },
          code: { type: 'string', example: 'invalid_type' },
          message: { type: 'string' },
          params: { type: 'object', additionalProperties: true },
          rule: { type: 'string', example: 'farmland_flag_required' },
        },
      },
    },
  },
  required: ['code', 'message'],
  example: {
    code: 'InvalidPayload',
    message: 'invalid request: determination.areas.farmlandMu: determination.areas.farmlandMu is required: a number',
    errors: { 'determination.areas.farmlandMu': 'determination.areas.farmlandMu is required: a number' },
    issues: [
      {
        path: 'determination.areas.farmlandMu',
        code: 'invalid_type',
        message: 'determination.areas.farmlandMu is required: a number',
        params: { expected: 'number' },
      },
    ],
  },
};

/** The filters each list route reads from `filter` (a JSON object), by path. */
export const LIST_FILTERS: Record<string, Record<string, string>> = {
  '/api/tasks': {
    id: 'task id or list of ids',
    status: 'open | completed | cancelled (or a list)',
    type: 'task type (or a list)',
    regionCode: 'the region and its subtree',
    patchCode: 'one patch',
    caseNo: 'one case',
    q: 'part of a patch code',
    overdue: 'true | false',
    assignee: 'me | none',
    role: 'officer | reviewer | … (or a list)',
    dueBefore: 'due by: a date YYYY-MM-DD (end of that day, Asia/Shanghai) or an instant',
    category: "the patch's category (or a list)",
    batchCode: "the patch's batch (or a list)",
    stage: "the patch's stage (or a list)",
  },
  '/api/patches': {
    id: 'patch code or list of codes',
    stage: 'stage (or a list)',
    legality: 'legal | illegal | other (or a list)',
    category: 'category (or a list)',
    batchCode: 'batch (or a list)',
    source: 'source (or a list)',
    regionCode: 'the region and its subtree',
    overdue: 'true',
    directDetermination: 'true',
    q: 'part of a patch code',
  },
  '/api/audit': {
    patchCode: "a patch's timeline: its own rows and its case's (case.eliminated, case.struck_off, quota.*)",
    caseNo: "one case's rows",
    taskId: "one task's rows",
    action: 'one action, e.g. task.completed, quota.frozen',
  },
  '/api/evidence': { patchCode: 'one patch', id: 'list of ids', sha256: 'one file' },
};

/** A copy of a JSON schema in which each object accepts `taskType` (the union's discriminator). */
function withTaskType(schema: Json, type: TaskType): Json {
  const taskType = { type: 'string', enum: [type], description: "the task's type (optional; when sent, it must be the task's type)" };
  const add = (s: Json): Json =>
    Array.isArray(s.oneOf) || Array.isArray(s.anyOf)
      ? { ...s, ...(s.oneOf ? { oneOf: (s.oneOf as Json[]).map(add) } : {}), ...(s.anyOf ? { anyOf: (s.anyOf as Json[]).map(add) } : {}) }
      : Array.isArray(s.allOf)
        ? { ...s, allOf: (s.allOf as Json[]).map(add) }
        : { ...s, properties: { taskType, ...((s.properties as Json) ?? {}) } };
  return add(schema);
}

const schemaName = (type: TaskType) => `TaskCompletion_${type}`;

/** Each task type's completion body as a JSON schema (OpenAPI 3.0), from the validator's zod schema. */
export function completionJsonSchema(type: TaskType): Json {
  const json = z.toJSONSchema(completionSchemas[type], { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return {
    ...withTaskType(json, type),
    title: type,
    description: `The body completing a task of type ${type}.`,
    example: COMPLETION_EXAMPLES[type][0].value,
  };
}

const ERROR_RESPONSE = { description: 'The error shape (api/errors.ts)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/** Completes the document fastify-swagger built from the routes' zod schemas. */
export function finishDocument(doc: Json): Json {
  const components = (doc.components ?? {}) as Json;
  const schemas: Json = { ...((components.schemas as Json) ?? {}), Error: ERROR_SCHEMA };
  for (const type of TASK_TYPES) schemas[schemaName(type)] = completionJsonSchema(type);
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const responses = (op.responses ?? {}) as Json;
      op.responses = { ...responses, ...(responses['4XX'] ? {} : { '4XX': ERROR_RESPONSE }) };
      const filters = LIST_FILTERS[path];
      if (method === 'get' && filters && Array.isArray(op.parameters)) {
        op.parameters = (op.parameters as Json[]).map((p) =>
          p.name === 'filter' && p.in === 'query'
            ? {
                ...p,
                description: `A JSON object of filters (react-admin simple-rest), e.g. filter={"${Object.keys(filters)[0]}":"…"}:\n${Object.entries(filters)
                  .map(([k, v]) => `- ${k}: ${v}`)
                  .join('\n')}`,
                'x-filters': Object.keys(filters),
              }
            : p,
        );
      }
    }
  }
  const complete = paths['/api/tasks/{id}/complete']?.post;
  if (complete) {
    complete.summary = "Complete a task: the body is the task type's (GET /api/tasks/{id} → type)";
    complete.description =
      "A workflow Update: the workflow's validator decides (200 with the workflow's snapshot; 403, 409, 422 before anything is recorded). The body's schema is picked by the task's type; `taskType` may be sent to have it checked. Areas, answers and lists a rule reads are required: nothing a rule depends on defaults. Idempotency-Key makes a retry answer the first outcome.";
    complete.requestBody = {
      required: true,
      content: {
        'application/json': {
          schema: {
            oneOf: TASK_TYPES.map((t) => ({ $ref: `#/components/schemas/${schemaName(t)}` })),
            discriminator: { propertyName: 'taskType', mapping: Object.fromEntries(TASK_TYPES.map((t) => [t, `#/components/schemas/${schemaName(t)}`])) },
          },
          examples: Object.fromEntries(
            TASK_TYPES.flatMap((t) =>
              COMPLETION_EXAMPLES[t].map((e, i) => [`${t}${i ? `_${i + 1}` : ''}`, { summary: `${t}: ${e.summary}`, value: { taskType: t, ...e.value } }]),
            ),
          ),
        },
      },
    };
  }
  return { ...doc, components: { ...components, schemas } };
}

const registered = new WeakMap<FastifyInstance, Array<{ method: string; url: string }>>();

/** Records every route registered on the app (and its plugins), for the contract test. */
export function recordRoutes(app: FastifyInstance): void {
  const list: Array<{ method: string; url: string }> = [];
  registered.set(app, list);
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.schema && (route.schema as { hide?: boolean }).hide) return;
    for (const method of ([] as string[]).concat(route.method)) list.push({ method, url: route.url });
  });
}

export const registeredRoutes = (app: FastifyInstance) => registered.get(app) ?? [];
