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
