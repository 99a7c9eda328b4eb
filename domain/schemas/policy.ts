/**
 * zod schema of policy overrides as administrators send them: every part optional, unknown keys
 * rejected (so a typo is a 422 naming the field, not a silently ignored rule).
 */
import { z } from 'zod';
import { msg } from './messages';
import { parseLocalDate, type DeadlineRule } from '../deadlines';
import { LEGALITY_SUBTYPES } from '../legality';
import { ALWAYS_REVIEW_CONDITIONS, FARMLAND_FLAGS } from '../policy';
import { BATCH_KINDS, LEGALITIES, PATCH_CATEGORIES, TASK_TYPES } from '../types';

const allSubtypes = [...new Set(Object.values(LEGALITY_SUBTYPES).flat())] as [string, ...string[]];
const anchor = z.enum(['issuance', 'imaging', 'event']).optional();
const day = z.number().int().min(1).max(31);
const month = z.number().int().min(1).max(12);

export const deadlineRuleSchema: z.ZodType<DeadlineRule> = z
  .lazy(
    () =>
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('dayOfMonth'), day, monthOffset: z.number().int().min(0).max(12), cutoffDay: day.optional(), from: anchor }),
        z.strictObject({ kind: z.literal('daysAfter'), days: z.number().int().min(0).max(366), from: anchor }),
        z.strictObject({ kind: z.literal('monthsAfter'), months: z.number().int().min(0).max(24), from: anchor }),
        z.strictObject({ kind: z.literal('fixedDate'), month, day, yearOffset: z.number().int().min(0).max(2), from: anchor }),
        z.strictObject({
          kind: z.literal('byMonth'),
          from: anchor,
          ranges: z
            .array(z.strictObject({ fromMonth: month, toMonth: month, rule: deadlineRuleSchema }))
            .min(1)
            .refine(
              (ranges) => {
                const covered = new Set<number>();
                for (const r of ranges) for (let m = r.fromMonth; m <= r.toMonth; m++) covered.add(m);
                return covered.size === 12;
              },
              msg('各月份区间须覆盖1–12月', 'the month ranges must cover January to December', 'months_not_covered'),
            ),
        }),
        z.strictObject({
          kind: z.literal('onDate'),
          date: z.string().refine(
            (d) => {
              try {
                parseLocalDate(d);
                return true;
              } catch {
                return false;
              }
            },
            msg('日期应为 YYYY-MM-DD', 'should be a date YYYY-MM-DD', 'date_format'),
          ),
          from: anchor,
        }),
      ]),
    // A named component of the OpenAPI document: the rule refers to itself (byMonth's ranges), and a nameless
    // recursive schema becomes a reference to nothing there.
  )
  .meta({ id: 'DeadlineRule' }) as z.ZodType<DeadlineRule>;

const ruleSet = z.strictObject({
  default: deadlineRuleSchema.optional(),
  byBatchKind: z.partialRecord(z.enum(BATCH_KINDS), deadlineRuleSchema).optional(),
});

const share = z.number().min(0).max(1);

export const reviewLevelSchema = z.strictObject({
  level: z.enum(['city', 'province']),
  coverage: z.discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('all') }),
    z.strictObject({ mode: z.literal('sample'), rates: z.strictObject({ legal: share, illegal: share, other: share }) }),
  ]),
  always: z.array(z.enum(ALWAYS_REVIEW_CONDITIONS)).optional(),
});

export const onsiteRuleSchema = z.strictObject({
  metric: z.enum(['farmlandMu', 'basicFarmlandMu', 'redLineMu', 'totalMu']),
  minMu: z.number().min(0).max(100_000),
  legalities: z.array(z.enum(LEGALITIES)).min(1),
  /** What the county filed the patch as: determination sub-types (003 四(一)). */
  filedAs: z.array(z.enum(allSubtypes)).min(1).optional(),
  /** Issued categories (003 三(二)). */
  issuedAs: z.array(z.enum(PATCH_CATEGORIES)).min(1).optional(),
  /** 新增建（构）筑物 (000 二(五)). */
  newStructures: z.boolean().optional(),
});

export const policyOverridesSchema = z.strictObject({
  deadlines: z
    .strictObject({
      verification: ruleSet.optional(),
      correction: ruleSet.optional(),
      review: z.strictObject({ city: ruleSet.optional(), province: ruleSet.optional() }).optional(),
      directDetermination: ruleSet.optional(),
      onsiteCheck: ruleSet.optional(),
      extensionDecision: ruleSet.optional(),
      caseRegister: ruleSet.optional(),
      stopOrder: ruleSet.optional(),
      caseDecision: ruleSet.optional(),
      transferFeedback: ruleSet.optional(),
      rectificationPlan: ruleSet.optional(),
      rectification: ruleSet.optional(),
      acceptance: ruleSet.optional(),
      recheck: ruleSet.optional(),
    })
    .optional(),
  escalation: z
    .strictObject({
      afterDays: z.number().int().min(0).max(60).optional(),
      followUp: z.strictObject({ taskTypes: z.array(z.enum(TASK_TYPES)).max(TASK_TYPES.length), every: deadlineRuleSchema }).optional(),
    })
    .optional(),
  verification: z
    .strictObject({
      forbidOtherFor: z.array(z.enum(PATCH_CATEGORIES)).optional(),
      farmlandFlags: z.array(z.enum(FARMLAND_FLAGS)).optional(),
      evidence: z
        .strictObject({ illegal: z.number().int().min(0).max(10).optional(), legalWithoutApproval: z.number().int().min(0).max(10).optional() })
        .optional(),
    })
    .optional(),
  review: z
    .strictObject({
      chain: z
        .array(reviewLevelSchema)
        .max(2)
        .refine(
          (chain) => new Set(chain.map((l) => l.level)).size === chain.length,
          msg('同一级别不能在审核链中出现两次', 'a level may appear in the review chain only once', 'review_level_repeated'),
        )
        .refine(
          (chain) => chain.length < 2 || (chain[0].level === 'city' && chain[1].level === 'province'),
          msg('审核链须先市级后省级', 'the review chain goes city first, then province', 'review_chain_order'),
        )
        .optional(),
      sampleSeed: z.string().min(1).max(64).optional(),
    })
    .optional(),
  onsiteChecks: z.strictObject({ city: z.array(onsiteRuleSchema).optional(), province: z.array(onsiteRuleSchema).optional() }).optional(),
  quota: z
    .strictObject({
      freezeFarmland: z.boolean().optional(),
      constructionPlan: z
        .strictObject({
          share: z.number().gt(0).max(1),
          rounds: z.array(deadlineRuleSchema).min(1).max(12),
          patchYears: z.array(z.number().int().min(2000).max(2100)).min(1).max(20).optional(),
        })
        .optional(),
    })
    .optional(),
  statistics: z
    .strictObject({
      accountabilityThreshold: z.number().gt(0).max(1).optional(),
      warnAtShareOfThreshold: z.number().gt(0).max(1).optional(),
      concealment: z.strictObject({ rate: z.number().gt(0).max(1), moreThan: z.number().int().min(0).max(10_000) }).optional(),
      interviewRanking: z
        .strictObject({ cities: z.number().int().min(1).max(100).optional(), counties: z.number().int().min(1).max(500).optional() })
        .optional(),
    })
    .optional(),
  reports: z
    .strictObject({
      halfYear: deadlineRuleSchema.optional(),
      annual: deadlineRuleSchema.optional(),
      rectifiedBy: z.strictObject({ halfYear: deadlineRuleSchema.optional(), annual: deadlineRuleSchema.optional() }).optional(),
    })
    .optional(),
  merge: z.strictObject({ allowed: z.boolean().optional() }).optional(),
  recheck: z
    .strictObject({
      subTypes: z.array(z.enum(['facility_agriculture', 'temporary_land', 'rural_road', 'unchanged', 'demolished_recultivated'])).optional(),
      everyMonths: z.number().int().min(1).max(12).optional(),
      forMonths: z.number().int().min(1).max(36).optional(),
    })
    .optional(),
});

export const savePolicySchema = z.strictObject({
  overrides: policyOverridesSchema,
  note: z
    .string()
    .trim()
    .min(2, msg('请说明修改原因', 'explain the change (at least 2 characters)', 'note_required'))
    .max(500),
});

export const previewSchema = z.strictObject({
  overrides: policyOverridesSchema,
  samples: z
    .array(
      z.strictObject({
        taskType: z.enum([
          'verification',
          'correction',
          'review',
          'direct_determination',
          'onsite_check',
          'extension_decision',
          'case_register',
          'stop_order',
          'case_decision',
          'transfer_feedback',
          'rectification_plan',
          'rectification',
          'acceptance_county',
          'acceptance_city',
          'acceptance_province',
          'recheck',
        ]),
        level: z.enum(['city', 'province']).optional(),
        batchKind: z.enum(BATCH_KINDS).default('monthly'),
        issuedAt: z.string().datetime({ offset: true }),
        eventAt: z.string().datetime({ offset: true }).optional(),
        imagedAt: z.string().datetime({ offset: true }).optional(),
      }),
    )
    .max(50)
    .default([]),
});
