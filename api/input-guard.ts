/**
 * Hostile input stopped at the edge, before any schema or handler: a NUL character in any string of a
 * request's path parameters, query or JSON body is answered 422 naming the field (PostgreSQL cannot
 * store one: it used to surface as a 500).
 */
import type { FastifyInstance } from 'fastify';
import { NUL_MESSAGE, nulPath } from '../domain/schemas/nul';
import { twinOf } from '../domain/schemas/messages';
import { fieldIssue, invalidPayload, type FieldIssue } from './errors';

export const nulIssue = (path: string): FieldIssue => fieldIssue(path || '(root)', 'nul_character', NUL_MESSAGE, twinOf(NUL_MESSAGE)!.en);

/** Throws a 422 naming the field when `value` holds a NUL anywhere; `prefix` names where it came from. */
export function rejectNul(value: unknown, prefix?: string): void {
  const at = nulPath(value);
  if (at) throw invalidPayload(undefined, [nulIssue([...(prefix ? [prefix] : []), ...at].join('.'))]);
}

export function registerInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    rejectNul(req.params, 'params');
    rejectNul(req.query, 'querystring');
    rejectNul(req.body);
  });
}
