/** Completion payloads, one per task type. The API picks the schema by the task's type. */
import { z } from 'zod';
import type { TaskType } from '../types';
import { determinationSchema, localDate } from './determination';

const reason = z.string().trim().min(2, '请填写理由').max(2000);

export const completionSchemas = {
  verification: z.object({ determination: determinationSchema }),
  correction: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('submit'), determination: determinationSchema }),
    z.object({ decision: z.literal('decline'), reason }),
  ]),
  review: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('pass') }),
    z.object({ decision: z.literal('send_back'), reason }),
  ]),
  direct_determination: z.object({ determination: determinationSchema, reason: z.string().max(2000).optional() }),
  onsite_check: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('confirm'), notes: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('overturn'), determination: determinationSchema, reason }),
  ]),
  extension_decision: z.discriminatedUnion('decision', [
    z.object({ decision: z.literal('approve'), newDueDate: localDate, reason: z.string().max(2000).optional() }),
    z.object({ decision: z.literal('reject'), reason }),
  ]),
  military_report: z.object({ reportedOffline: z.literal(true), reference: z.string().max(100).optional() }),
} satisfies Record<TaskType, z.ZodType>;
