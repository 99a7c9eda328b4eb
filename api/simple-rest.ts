/**
 * react-admin's simple-rest conventions: `sort`, `range` and `filter` as JSON query parameters, the total
 * in `Content-Range: <resource> <start>-<end>/<total>` (exposed to the browser by CORS).
 */
import { asc, desc, type AnyColumn, type SQL } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import type { ListQuery } from '../domain/schemas/list-query';
import { ApiError, fieldIssue } from './errors';

export const MAX_PAGE = 500;

export function paging(q: ListQuery, defaultSize = 25) {
  const [start, end] = q.range ?? [0, defaultSize - 1];
  const limit = Math.min(end - start + 1, MAX_PAGE);
  return { offset: start, limit, start };
}

export function ordering(q: ListQuery, columns: Record<string, AnyColumn | SQL>, fallback: SQL[]): SQL[] {
  if (!q.sort) return fallback;
  const [field, dir] = q.sort;
  const column = columns[field];
  if (!column) {
    throw new ApiError('InvalidPayload', `不能按"${field}"排序`, `cannot sort by "${field}"`, [
      fieldIssue(
        'querystring.sort',
        'unknown_sort_field',
        `可排序字段：${Object.keys(columns).join(', ')}`,
        `sortable fields: ${Object.keys(columns).join(', ')}`,
        { field, sortable: Object.keys(columns) },
      ),
    ]);
  }
  return [dir.toUpperCase() === 'DESC' ? desc(column) : asc(column), ...fallback];
}

export function sendList<T>(reply: FastifyReply, resource: string, rows: T[], start: number, total: number) {
  const end = rows.length ? start + rows.length - 1 : start;
  reply.header('Content-Range', `${resource} ${start}-${end}/${total}`);
  return reply.send(rows);
}
