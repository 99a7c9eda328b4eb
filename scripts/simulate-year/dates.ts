/** Simulated instants as the notices count them: calendar days in Asia/Shanghai (UTC+8, no summer time). */
export const DAY = 86_400_000;
const OFFSET = 8 * 3_600_000;

/** YYYY-MM-DD of an instant in Asia/Shanghai. */
export const localDate = (ms: number) => new Date(ms + OFFSET).toISOString().slice(0, 10);

/** EXIF's "YYYY:MM:DD HH:MM:SS", local time. */
export const exifTime = (ms: number) => new Date(ms + OFFSET).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');

/** The instant local midnight starts a day (month 1–12). */
export const startOfLocalDay = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) - OFFSET;

export const localYear = (ms: number) => new Date(ms + OFFSET).getUTCFullYear();
export const localMonthDay = (ms: number) => {
  const d = new Date(ms + OFFSET);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};
