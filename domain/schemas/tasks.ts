/** Completion payloads, one per task type. The API picks the schema by the task's type. */
import { z } from 'zod';
import { msg } from './messages';
import { DEPARTMENTS, RECTIFICATION_PATHS, type TaskType } from '../types';
import { approvalSchema, determinationSchema, evidenceSchema, localDate } from './determination';

const reason = z
  .string()
  .trim()
  .min(2, msg('请填写理由', 'give the reason (at least 2 characters)', 'reason_required'))
  .max(2000);
const text = (max = 2000) =>
  z
    .string()
    .trim()
    .min(2, msg('请填写', 'fill this in (at least 2 characters)', 'text_required'))
    .max(max);
const docNo = z
  .string()
  .trim()
  .min(2, msg('请填写文号', 'give the document number', 'document_number_required'))
  .max(100);
const yuan = z.number().finite().min(0).max(1e11);

export const completionSchemas = {
  verification: z.object({ determination: determinationSchema }),
  correction: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('submit'), determination: determinationSchema }),
    z.object({ decision: z.literal('decline'), reason }),
  ]),
  review: z.discriminatedUnion('decision', [z.object({ decision: z.literal('pass') }), z.object({ decision: z.literal('send_back'), reason })]),
  direct_determination: z.object({ determination: determinationSchema, reason: z.string().max(2000).optional() }),
  onsite_check: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('confirm'), notes: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('overturn'), determination: determinationSchema, reason }),
    // A case's rectification result checked on site (图斑及其整改结果, 000 二(五); 003 四(一)) that is not as reported.
    z.object({ decision: z.literal('reject'), reason }),
  ]),
  extension_decision: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('approve'), newDueDate: localDate, reason: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('reject'), reason }),
  ]),
  military_report: z.object({ reportedOffline: z.literal(true), reference: z.string().max(100).optional() }),

  // 立案: the facts, the party and the site; other illegal patches of the same party and site can be linked.
  case_register: z.object({
    party: z.object({
      name: text(200),
      kind: z.enum(['person', 'organisation']),
      idNumber: z.string().trim().max(50).optional(),
      contact: z.string().trim().max(100).optional(),
    }),
    site: text(500),
    facts: text(),
    legalBasis: z.string().trim().max(500).optional(),
    linkPatchCodes: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
  }),
  stop_order: z.object({ documentNumber: docNo, issuedOn: localDate, stopped: z.boolean(), notes: z.string().max(2000).optional() }),
  // 处罚决定 and the "six musts" (六个该, 002 六(二)).
  case_decision: z
    .object({
      documentNumber: docNo,
      decidedOn: localDate,
      fine: z.object({ amountYuan: yuan, collected: z.boolean(), collectedYuan: yuan.optional() }),
      confiscation: z.boolean(),
      confiscationNote: z.string().max(500).optional(),
      demolition: z.boolean(),
      recultivation: z.boolean(),
      disciplineReferral: z.boolean(),
      criminalReferral: z.boolean(),
      // Required ([] when none): a left-out list would drop transfers whose feedback the strike-off waits for.
      departments: z.array(z.enum(DEPARTMENTS)).max(DEPARTMENTS.length),
      path: z.enum(RECTIFICATION_PATHS),
    })
    .superRefine((d, ctx) => {
      if (d.path === 'confiscate' && !d.confiscation)
        ctx.addIssue({
          code: 'custom',
          path: ['confiscation'],
          message: msg('整改方式为没收时须决定没收', 'the rectification path is confiscation: the decision must confiscate', 'six_musts_confiscation'),
        });
      if (d.path === 'demolish_recultivate' && !d.demolition && !d.recultivation) {
        ctx.addIssue({
          code: 'custom',
          path: ['demolition'],
          message: msg(
            '整改方式为拆除复耕时须决定拆除或复耕复绿',
            'the rectification path is demolition and re-cultivation: the decision must order demolition or re-cultivation',
            'six_musts_demolition',
          ),
        });
      }
      if (d.fine.collected && d.fine.collectedYuan === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['fine', 'collectedYuan'],
          message: msg('已收缴罚款须填写收缴金额', 'a collected fine needs the amount collected', 'collected_amount_required'),
        });
      if (new Set(d.departments).size !== d.departments.length)
        ctx.addIssue({ code: 'custom', path: ['departments'], message: msg('移交部门不能重复', 'each department may be named once', 'departments_repeated') });
    }),
  transfer_feedback: z.object({ receivedOn: localDate, result: text(), documentNumber: z.string().trim().max(100).optional() }),
  rectification_plan: z.object({ responsiblePerson: text(100), measures: text(), plannedBy: localDate }),
  rectification: z
    .object({
      completedOn: localDate,
      /** The area rectified so far (cumulative), of which `rectifiedFarmlandMu` is farmland. */
      rectifiedMu: z.number().finite().min(0).max(1_000_000),
      rectifiedFarmlandMu: z.number().finite().min(0).max(1_000_000).optional(),
      notes: z.string().max(2000).optional(),
      evidence: z.array(evidenceSchema).max(50).default([]),
      approval: approvalSchema.optional(),
      confiscationDocument: z.string().trim().max(100).optional(),
    })
    .superRefine((r, ctx) => {
      if (r.rectifiedFarmlandMu !== undefined && r.rectifiedFarmlandMu > r.rectifiedMu) {
        ctx.addIssue({
          code: 'custom',
          path: ['rectifiedFarmlandMu'],
          message: msg('其中耕地面积不能大于整改面积', 'the farmland rectified cannot exceed the area rectified', 'farmland_exceeds_rectified'),
        });
      }
    }),
  acceptance_county: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('pass'), notes: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('reject'), reason }),
  ]),
  acceptance_city: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('pass'), certificateNo: docNo, notes: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('reject'), reason }),
  ]),
  acceptance_province: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('confirm'), notes: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('reject'), reason }),
  ]),
  recheck: z.discriminatedUnion('finding', [
    z.object({ finding: z.literal('unchanged'), notes: z.string().max(2000).optional(), evidence: z.array(evidenceSchema).max(50).default([]) }),
    z.object({ finding: z.enum(['rebuilt', 'changed_use']), notes: text(), evidence: z.array(evidenceSchema).max(50).default([]) }),
  ]),
  // 拆分审核 (docs/domain.md §13): the level above approves the county's split, or refuses it with a reason.
  split_review: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('approve'), notes: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('reject'), reason }),
  ]),
  // 合并审核 (docs/domain.md §13): the level above approves the county's merge, or refuses it with a reason.
  merge_review: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('approve'), notes: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('reject'), reason }),
  ]),
} satisfies Record<TaskType, z.ZodType>;

/** 延期申请 (POST /tasks/:id/extension): a written reason, and the date asked for. */
export const extensionRequestSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(5, msg('请写明延期理由（至少5个字）', 'explain why the extension is needed (at least 5 characters)', 'extension_reason_required'))
    .max(2000),
  requestedDate: localDate.optional(),
});
