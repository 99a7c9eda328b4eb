/**
 * One error shape for every 4xx: { code, message, errors?, issues? }. `message` is in the caller's
 * language (Chinese unless Accept-Language asks for English); `errors` maps field paths to messages, the
 * shape react-admin shows on form fields.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '../domain/errors';

export interface FieldIssue {
  path: string;
  message: string;
  rule?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly messageEn: string = message,
    readonly issues: FieldIssue[] = [],
    readonly statusOverride?: number,
  ) {
    super(message);
  }
  get status(): number {
    return this.statusOverride ?? ERROR_STATUS[this.code];
  }
}

export const wantsEnglish = (req: FastifyRequest): boolean => /^en\b/i.test(String(req.headers['accept-language'] ?? ''));

export function errorBody(req: FastifyRequest, err: ApiError) {
  const english = wantsEnglish(req);
  return {
    code: err.code,
    message: english ? err.messageEn : err.message,
    ...(err.issues.length
      ? {
          errors: Object.fromEntries(err.issues.map((i) => [i.path, i.message])),
          issues: err.issues,
        }
      : {}),
  };
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: ApiError) {
  return reply.status(err.status).send(errorBody(req, err));
}

const zh = z.locales.zhCN().localeError;
const en = z.locales.en().localeError;

/** A zod error as field issues, with messages in the caller's language. */
export function zodIssues(error: z.ZodError, english: boolean, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.');
    const custom = issue.code === 'custom' || (issue.message && !issue.message.startsWith('Invalid') && /[\u4e00-\u9fff]/.test(issue.message));
    const localized = custom ? issue.message : (english ? en : zh)(issue as never);
    const message = typeof localized === 'string' ? localized : (localized?.message ?? issue.message);
    return { path: path || '(root)', message };
  });
}

export function invalidPayload(req: FastifyRequest, issues: FieldIssue[]): ApiError {
  const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new ApiError('InvalidPayload', `请求内容不符合要求：${list}`, `invalid request: ${list}`, issues);
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof ApiError) return sendError(req, reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const english = wantsEnglish(req);
      const issues = error.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
        const raw = { code: v.keyword, message: v.message, path: [], ...(v.params as object) };
        const custom = v.keyword === 'custom' || /[\u4e00-\u9fff]/.test(v.message ?? '');
        const localized = custom ? v.message : (english ? en : zh)(raw as never);
        const message = typeof localized === 'string' ? localized : (localized?.message ?? v.message ?? 'invalid');
        return { path: path || '(root)', message };
      });
      // The body is validated as the request's payload; query and params keep their own prefix.
      const prefixed = error.validationContext && error.validationContext !== 'body'
        ? issues.map((i) => ({ ...i, path: `${error.validationContext}.${i.path}` }))
        : issues;
      return sendError(req, reply, invalidPayload(req, prefixed));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ code: error.code ?? 'BadRequest', message: error.message });
    }
    req.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ code: 'Internal', message: wantsEnglish(req) ? 'internal error' : '服务器内部错误' });
  });
}
