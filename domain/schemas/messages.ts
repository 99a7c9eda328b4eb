/**
 * The schemas' own field messages in both languages. A schema writes its Chinese message with
 * `msg('中文', 'English', 'code')`, which returns the Chinese text (what zod carries) and registers its
 * English twin and a stable code under it; a message with values in it is a custom issue made with
 * `customIssue(…)`, which carries its twin in the issue's params. api/errors.ts answers each issue with
 * its code, its params and the message in the caller's language. No zod here: plain strings.
 */

export interface MessageTwin {
  /** Stable: what the UI (or any client) can key its own text on. */
  code: string;
  en: string;
}

const registry = new Map<string, MessageTwin>();

/** A fixed Chinese field message with its English twin and code; answers the Chinese text. */
export function msg(zh: string, en: string, code: string): string {
  const known = registry.get(zh);
  if (known && (known.en !== en || known.code !== code)) throw new Error(`message "${zh}" registered twice with different twins`);
  registry.set(zh, { code, en });
  return zh;
}

/** The twin of a message written with msg(), if it is one. */
export const twinOf = (zh: string): MessageTwin | undefined => registry.get(zh);

/** The key under which a custom issue's params carry its twin (left out of the params the API answers). */
export const TWIN_PARAM = 'twin';

/** A custom issue with values in its text: `ctx.addIssue(customIssue(…))`. */
export function customIssue(zh: string, en: string, code: string, params: Record<string, unknown> = {}, path?: PropertyKey[]) {
  return { code: 'custom' as const, message: zh, params: { ...params, [TWIN_PARAM]: { code, en } satisfies MessageTwin }, ...(path ? { path } : {}) };
}

// Messages several schemas share.
export const DATE_FORMAT = msg('日期格式应为 YYYY-MM-DD', 'should be a date YYYY-MM-DD', 'date_format');
export const REGION_CODE_FORMAT = msg('应为6位行政区划代码', 'should be a 6-digit region code', 'region_code_format');
export const SHA256_FORMAT = msg('应为文件的 SHA-256 摘要', "should be the file's SHA-256 digest (64 hexadecimal digits)", 'sha256_format');
