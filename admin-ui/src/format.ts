/** Deadlines are Chinese calendar days: always show instants in Asia/Shanghai, whatever the browser's zone. */
export const SHANGHAI_DATETIME: Intl.DateTimeFormatOptions = {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
};
export const SHANGHAI_DATE: Intl.DateTimeFormatOptions = { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' };

const dateTime = new Intl.DateTimeFormat('zh-CN', SHANGHAI_DATETIME);
const date = new Intl.DateTimeFormat('zh-CN', SHANGHAI_DATE);

/** "2026/05/03 10:20" in Shanghai time, or "" */
export const formatDateTime = (v: string | Date | null | undefined): string => (v ? dateTime.format(new Date(v)) : '');
export const formatDate = (v: string | Date | null | undefined): string => (v ? date.format(new Date(v)) : '');

/** Areas in mu, up to two decimals. */
export const formatMu = (v: number | null | undefined): string => (typeof v === 'number' ? v.toLocaleString('zh-CN', { maximumFractionDigits: 2 }) : '—');
