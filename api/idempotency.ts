/**
 * Idempotency-Key: the first answer to a request is stored per user and key, and a repeat of the same
 * request gets that answer again. The key also becomes the Temporal Update id, so two copies racing
 * each other are deduplicated by the workflow itself and both get the one outcome.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { ApiError, fieldIssue } from './errors';

export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

export function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const raw = req.headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined) return undefined;
  if (!/^[\w.:-]{8,128}$/.test(key)) {
    throw new ApiError(
      'InvalidPayload',
      'Idempotency-Key 应为8–128位字母、数字或 . _ : -',
      'Idempotency-Key must be 8–128 characters of letters, digits or . _ : -',
      [fieldIssue('headers.idempotency-key', 'idempotency_key_format', '格式不正确', 'malformed: 8–128 letters, digits or . _ : -')],
    );
  }
  return key;
}

export const requestHash = (route: string, body: unknown) =>
  createHash('sha256')
    .update(route)
    .update('\n')
    .update(JSON.stringify(body ?? null))
    .digest('hex');

export async function findAnswer(db: Db, userId: number, key: string, hash: string): Promise<StoredAnswer | undefined> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
  if (!row) return undefined;
  if (row.requestHash !== hash) {
    throw new ApiError('IdempotencyKeyReused', '该 Idempotency-Key 已用于另一个不同的请求', 'this Idempotency-Key was already used for a different request');
  }
  return { statusCode: row.statusCode, body: row.response };
}

/** Stores an answer unless one is stored already; returns the stored (first) answer. */
export async function storeAnswer(db: Db, userId: number, key: string, hash: string, answer: StoredAnswer): Promise<StoredAnswer> {
  await db
    .insert(idempotencyKeys)
    .values({ userId, key, requestHash: hash, statusCode: answer.statusCode, response: answer.body as object })
    .onConflictDoNothing();
  return (await findAnswer(db, userId, key, hash)) ?? answer;
}
