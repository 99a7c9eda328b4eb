/**
 * One error shape for every 4xx: { code, message, errors?, issues? }. `message` is in the caller's
 * language (Chinese unless Accept-Language asks for English); `errors` maps field paths to messages, the
 * shape react-admin shows on form fields; each of `issues` names its field (`path`), what is wrong with
 * it (`code`: a zod issue code such as too_small or invalid_type, or a named one: the schemas' own in
 * domain/schemas/*, the API's and the workflows' checks), the values in the message (`params`) and the
 * message in the caller's language.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { twinOf, TWIN_PARAM, type MessageTwin } from '../domain/schemas/messages';
import { ApiError, type FieldIssue } from './api-error';
import { requestFaultOf } from './request-errors';
import { unavailable } from '../infra/unavailable';

export { ApiError, fieldIssue, type FieldIssue } from './api-error';

export const wantsEnglish = (req: FastifyRequest): boolean => /^en\b/i.test(String(req.headers['accept-language'] ?? ''));

/** An issue as answered: the message in one language, no twin. */
function issueBody(i: FieldIssue, english: boolean) {
  return {
    path: i.path,
    code: i.code ?? i.rule ?? 'invalid',
    message: english ? (i.messageEn ?? i.message) : i.message,
    ...(i.params && Object.keys(i.params).length ? { params: i.params } : {}),
    ...(i.rule ? { rule: i.rule } : {}),
  };
}

export function errorBody(req: FastifyRequest, err: ApiError) {
  const english = wantsEnglish(req);
  const issues = err.issues.map((i) => issueBody(i, english));
  return {
    code: err.code,
    message: english ? err.messageEn : err.message,
    ...(issues.length ? { errors: Object.fromEntries(issues.map((i) => [i.path, i.message])), issues } : {}),
  };
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: ApiError) {
  return reply.status(err.status).send(errorBody(req, err));
}

const zh = z.locales.zhCN().localeError;
const en = z.locales.en().localeError;
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

const localeText = (map: typeof zh, issue: z.core.$ZodRawIssue | z.core.$ZodIssue, fallback: string): string => {
  const m = map(issue as never);
  return typeof m === 'string' ? m : (m?.message ?? fallback);
};

/** What an issue's params name: zod's own details (minimum, expected, format…), without the input. */
function detailsOf(issue: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(issue)) {
    if (k === 'code' || k === 'path' || k === 'message' || k === 'input' || k === 'inst' || k === 'params' || k === 'errors' || typeof v === 'function')
      continue;
    if (k === 'pattern' && v instanceof RegExp) out[k] = v.source;
    else if (typeof v === 'bigint') out[k] = v.toString();
    else out[k] = v;
  }
  const custom = (issue.params ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(custom)) if (k !== TWIN_PARAM) out[k] = v;
  return out;
}

/**
 * One zod issue as a field issue in both languages: a message written with msg() or customIssue() has
 * its twin and code; zod's own messages come from its Chinese and English locales, under zod's code.
 */
export function fieldIssueOf(issue: z.core.$ZodIssue, path: string): FieldIssue {
  const raw = issue as unknown as Record<string, unknown>;
  const message = issue.message ?? '';
  const carried = (raw.params as Record<string, unknown> | undefined)?.[TWIN_PARAM] as MessageTwin | undefined;
  const twin = carried ?? twinOf(message);
  const params = detailsOf(raw);
  const base = { path: path || '(root)', ...(Object.keys(params).length ? { params } : {}) };
  if (twin) return { ...base, code: twin.code, message, messageEn: twin.en };
  if (CJK.test(message)) {
    // A Chinese message without a twin (test/error-messages.test.ts keeps the schemas from having one).
    return { ...base, code: issue.code, message, messageEn: localeText(en, issue, message) };
  }
  const own = describeZodIssue(raw, base.path, message);
  if (own) return { ...base, code: issue.code, message: own.zh, messageEn: own.en };
  return {
    ...base,
    code: issue.code,
    message: `${base.path}：${localeText(zh, issue, message)}`,
    messageEn: `${base.path}: ${localeText(en, issue, message)}`,
  };
}

/** What zod expected, in words (invalid_type's `expected`). */
const EXPECTED: Record<string, [zh: string, en: string]> = {
  number: ['数字', 'a number'],
  int: ['整数', 'an integer'],
  string: ['文本', 'a text (string)'],
  boolean: ['是或否（true/false）', 'true or false'],
  object: ['对象', 'an object'],
  array: ['列表', 'a list (array)'],
  date: ['日期', 'a date'],
  bigint: ['整数', 'an integer'],
  null: ['null', 'null'],
};
const FORMATS: Record<string, [zh: string, en: string]> = {
  datetime: ['带时区的 ISO 8601 时间（如 2026-05-01T10:00:00+08:00）', 'an ISO 8601 date-time with its offset, e.g. 2026-05-01T10:00:00+08:00'],
  date: ['日期 YYYY-MM-DD', 'a date YYYY-MM-DD'],
  email: ['电子邮箱地址', 'an e-mail address'],
  url: ['网址', 'a URL'],
  uuid: ['UUID', 'a UUID'],
};
const list = (values: unknown[], sep: string) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(sep);

/**
 * zod's own issues in words that name the field and what it expects (zod's locales say "Invalid input:
 * expected object" without the field): "determination.areas.farmlandMu is required: a number".
 */
export function describeZodIssue(raw: Record<string, unknown>, path: string, message: string): { zh: string; en: string } | undefined {
  const f = path === '(root)' ? 'the request body' : path;
  const fz = path === '(root)' ? '请求内容' : path;
  switch (raw.code) {
    case 'invalid_type': {
      const [ez, ee] = EXPECTED[String(raw.expected)] ?? [String(raw.expected), String(raw.expected)];
      const missing = ('input' in raw && raw.input === undefined) || /received undefined$/.test(message);
      return missing ? { zh: `${fz}为必填项：应为${ez}`, en: `${f} is required: ${ee}` } : { zh: `${fz}应为${ez}`, en: `${f} should be ${ee}` };
    }
    case 'too_small':
    case 'too_big': {
      const small = raw.code === 'too_small';
      const bound = String(small ? raw.minimum : raw.maximum);
      const inclusive = raw.inclusive !== false;
      if (raw.origin === 'string')
        return small
          ? { zh: `${fz}至少${bound}个字`, en: `${f} needs at least ${bound} characters` }
          : { zh: `${fz}最多${bound}个字`, en: `${f} may have at most ${bound} characters` };
      if (raw.origin === 'array' || raw.origin === 'set')
        return small
          ? { zh: `${fz}至少${bound}项`, en: `${f} needs at least ${bound} items` }
          : { zh: `${fz}最多${bound}项`, en: `${f} may have at most ${bound} items` };
      if (small)
        return inclusive
          ? { zh: `${fz}不能小于${bound}`, en: `${f} should be at least ${bound}` }
          : { zh: `${fz}应大于${bound}`, en: `${f} should be greater than ${bound}` };
      return inclusive
        ? { zh: `${fz}不能大于${bound}`, en: `${f} should be at most ${bound}` }
        : { zh: `${fz}应小于${bound}`, en: `${f} should be less than ${bound}` };
    }
    case 'invalid_value': {
      const values = (raw.values as unknown[] | undefined) ?? [];
      return values.length === 1
        ? { zh: `${fz}应为 ${list(values, '')}`, en: `${f} should be ${list(values, '')}` }
        : { zh: `${fz}应为以下之一：${list(values, '、')}`, en: `${f} should be one of: ${list(values, ', ')}` };
    }
    case 'invalid_union': {
      if (raw.discriminator !== undefined && Array.isArray(raw.options)) {
        return { zh: `${fz}应为以下之一：${list(raw.options, '、')}`, en: `${f} should be one of: ${list(raw.options, ', ')}` };
      }
      return { zh: `${fz}不符合任何一种可接受的形式`, en: `${f} matches none of the accepted forms` };
    }
    case 'invalid_format': {
      const format = String(raw.format);
      const known = FORMATS[format];
      if (known) return { zh: `${fz}应为${known[0]}`, en: `${f} should be ${known[1]}` };
      if (format === 'regex')
        return { zh: `${fz}格式不正确（应匹配 ${String(raw.pattern)}）`, en: `${f} does not have the expected form (it should match ${String(raw.pattern)})` };
      return { zh: `${fz}应为 ${format} 格式`, en: `${f} should be in the ${format} format` };
    }
    case 'unrecognized_keys': {
      const keys = (raw.keys as string[] | undefined) ?? [];
      return { zh: `${fz}含有不认识的字段：${keys.join('、')}`, en: `${f} has fields it does not take: ${keys.join(', ')}` };
    }
    default:
      return undefined;
  }
}

/** A zod error as field issues, in both languages (the answer picks the caller's). */
export function zodIssues(error: z.ZodError, _english?: boolean, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => fieldIssueOf(issue, [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.')));
}

export function invalidPayload(_req: FastifyRequest | undefined, issues: FieldIssue[]): ApiError {
  const zhList = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  const enList = issues.map((i) => `${i.path}: ${i.messageEn ?? i.message}`).join('; ');
  return new ApiError('InvalidPayload', `请求内容不符合要求：${zhList}`, `invalid request: ${enList}`, issues);
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof ApiError) return sendError(req, reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean);
        const issue = { ...(v.params as object), code: v.keyword, message: v.message, path } as unknown as z.core.$ZodIssue;
        // The body is validated as the request's payload; query and params keep their own prefix.
        const prefix = error.validationContext && error.validationContext !== 'body' ? [error.validationContext] : [];
        return fieldIssueOf(issue, [...prefix, ...path].join('.'));
      });
      return sendError(req, reply, invalidPayload(req, issues));
    }
    const fault = requestFaultOf(error);
    if (fault) return sendError(req, reply, fault);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ code: error.code ?? 'BadRequest', message: error.message });
    }
    const down = unavailable(error); // PostgreSQL or Temporal unavailable for now: 503, not a fault (infra/unavailable.ts)
    if (down)
      return reply
        .status(503)
        .header('retry-after', String(down.retryAfterSeconds))
        .send({ code: 'Unavailable', message: wantsEnglish(req) ? down.messageEn : down.message });
    req.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ code: 'Internal', message: wantsEnglish(req) ? 'internal error' : '服务器内部错误' });
  });
}
