/**
 * Batches (下发批次): the ministry or a province issues patches in batches — monthly (daily imagery,
 * "T+10"), the annual supplementary batch from the land-change survey, and quarterly mineral gap-filling
 * batches (notice 000). Pure functions only: dates are Chinese calendar days (Asia/Shanghai).
 */

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

export interface T10Check {
  /** The last day the batch may be issued on: imaging date + 10. */
  dueOn: string;
  /** Days issued after dueOn (0 when on time). */
  lateDays: number;
  late: boolean;
}

/**
 * T+10 lateness of a batch: issued later than imaging date + 10 days. Only monthly batches are bound by
 * T+10 (the annual supplementary batch follows the survey, mineral batches are quarterly), but the
 * lateness is computed for every batch with an imaging date so that statistics can show it.
 */
export function t10Check(imagedOn: string, issuedOn: string): T10Check {
  const dueOn = addDays(imagedOn, T_PLUS_DAYS);
  const lateDays = Math.max(0, dayNumber(issuedOn) - dayNumber(dueOn));
  return { dueOn, lateDays, late: lateDays > 0 };
}
