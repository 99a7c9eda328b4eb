/**
 * Safety nets for errors that are the request's fault but come from below the edge (answered 400, never
 * 500). The database: the safety net behind the schemas: a PostgreSQL data exception (SQLSTATE class 22: a NUL in text
 * 22021, a malformed number or uuid 22P02, a number out of range 22003, a value too long 22001, a bad
 * date 22007/22008, bad JSON 22P05…) is the request's fault, answered 400 naming the column when
 * PostgreSQL names it. The edge (zod, api/input-guard.ts) should have caught it first.
 */
import { ApiError, fieldIssue } from './api-error';

interface PgLike {
  code?: unknown;
  column?: unknown;
  cause?: unknown;
}

/** The PostgreSQL error inside a driver or drizzle error (drizzle wraps it as `cause`). */
function pgErrorOf(err: unknown): PgLike | undefined {
  for (let e = err as PgLike | undefined, depth = 0; e && depth < 4; e = e.cause as PgLike | undefined, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
  }
  return undefined;
}

export function dataErrorOf(err: unknown): ApiError | undefined {
  const pg = pgErrorOf(err);
  if (!pg || !String(pg.code).startsWith('22')) return undefined;
  const field = typeof pg.column === 'string' && pg.column ? pg.column : '(request)';
  const zh = '请求中的值无法保存或比较（格式或范围不正确）';
  const en = 'a value in the request cannot be stored or compared (wrong format or out of range)';
  return new ApiError('InvalidPayload', zh, en, [fieldIssue(field, 'invalid_value', zh, en, { sqlstate: pg.code })], 400);
}

/** Errors of the multipart parser (@fastify/busboy) on a malformed envelope: no boundary, cut short… */
const MULTIPART_FAULT = /^Multipart: |multipart data|^Boundary required|^The needle cannot|^Malformed part header|^Unexpected end of (form|file)/;

export function multipartErrorOf(err: unknown): ApiError | undefined {
  const message = (err as Error | undefined)?.message;
  if (typeof message !== 'string' || !MULTIPART_FAULT.test(message)) return undefined;
  const zh = '上传内容不是完整的 multipart/form-data（缺少分隔符或内容被截断）';
  const en = 'the upload is not well-formed multipart/form-data (no boundary, or cut short)';
  return new ApiError('InvalidPayload', zh, en, [fieldIssue('file', 'malformed_multipart', zh, en)], 400);
}

/** Fastify's own refusals of a body (not JSON, empty, too large, a type no route reads), naming `body`. */
const BODY_FAULTS: Record<string, [string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ['请求内容不是合法的 JSON', 'the body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['请求内容为空（声明为 JSON）', 'the body is empty (declared as JSON)'],
  FST_ERR_CTP_BODY_TOO_LARGE: ['请求内容过大', 'the body is too large'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['请求内容长度与声明不符', 'the body does not match its Content-Length'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['不支持的请求内容类型', 'unsupported Content-Type'],
};

export function bodyErrorOf(err: unknown): ApiError | undefined {
  const e = err as { code?: unknown; statusCode?: unknown } | undefined;
  const text = typeof e?.code === 'string' ? BODY_FAULTS[e.code] : undefined;
  if (!text || typeof e?.statusCode !== 'number') return undefined;
  return new ApiError(
    'InvalidPayload',
    text[0],
    text[1],
    [fieldIssue('body', String(e.code).replace('FST_ERR_CTP_', '').toLowerCase(), text[0], text[1])],
    e.statusCode,
  );
}

/** What a request's fault found below the edge is answered with, if it is one. */
export const requestFaultOf = (err: unknown): ApiError | undefined => bodyErrorOf(err) ?? dataErrorOf(err) ?? multipartErrorOf(err);
