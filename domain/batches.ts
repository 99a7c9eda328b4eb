/**
 * Batches (下发批次): the ministry or a province issues patches in batches — monthly (daily imagery,
 * "T+10"), the annual supplementary batch from the land-change survey, and quarterly mineral gap-filling
 * batches (notice 000). Pure functions only: dates are Chinese calendar days (Asia/Shanghai).
 */
import type { BatchKind } from './types';

/** "T+10" (000): a monthly batch is issued within 10 days of its imaging date. */
export const T_PLUS_DAYS = 10;

const DAY_MS = 24 * 3600 * 1000;
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** The calendar date (YYYY-MM-DD) of an instant in Asia/Shanghai (no DST there: a fixed +08:00). */
export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai calendar day starts. */
export function startOfShanghaiDay(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The batch kinds T+10 binds: the daily imagery of the monthly batches ("按'T+10'的时间要求制作下发卫片执法
 * 日常图斑", 000 二(一)). The annual supplementary batch follows the land-change survey and the mineral
 * gap-filling batches are quarterly: neither is late by T+10.
 */
export const T10_BATCH_KINDS: readonly BatchKind[] = ['monthly'];

export interface T10Check {
  /** Whether T+10 binds the batch's kind at all. */
  applies: boolean;
  /** The last day the batch may be issued on: imaging date + 10. */
  dueOn: string;
  /** Days issued after dueOn (0 when on time, or when T+10 does not apply). */
  lateDays: number;
  late: boolean;
}

/**
 * T+10 lateness of a batch — the one rule, stored on the batch and read by the statistics: a monthly batch
 * is late when its issue date is later than its imaging date + 10, both Shanghai calendar dates (an issue
 * at 15:00 on T+10 is on time; any time on T+11 is late).
 */
export function t10Check(imagedOn: string, issuedOn: string, kind: BatchKind = 'monthly'): T10Check {
  const dueOn = addDays(imagedOn, T_PLUS_DAYS);
  const applies = T10_BATCH_KINDS.includes(kind);
  const lateDays = applies ? Math.max(0, dayNumber(issuedOn) - dayNumber(dueOn)) : 0;
  return { applies, dueOn, lateDays, late: lateDays > 0 };
}

/** The T+10 columns of a batch row from its instants (null days when the imaging date is unknown). */
export function t10Columns(kind: BatchKind, imagedAt: Date | null | undefined, issuedAt: Date): { t10LateDays: number | null; t10Late: boolean } {
  if (!imagedAt) return { t10LateDays: null, t10Late: false };
  const t10 = t10Check(shanghaiDate(imagedAt), shanghaiDate(issuedAt), kind);
  return { t10LateDays: t10.lateDays, t10Late: t10.late };
}
