/** A region's subtree as a SQL condition on a region-code column. */
import { and, gte, lt, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { regionPrefix } from '../domain/regions';

/**
 * The subtree of a region as a range of codes: 640000 → ['64', '65'). A range (rather than LIKE '64%')
 * uses the ordinary b-tree indexes whatever the database's collation.
 */
export function prefixRange(prefix: string): [string, string] | undefined {
  if (prefix === '') return undefined;
  const last = prefix.charCodeAt(prefix.length - 1);
  return [prefix, prefix.slice(0, -1) + String.fromCharCode(last + 1)];
}

export function withinRegion(column: AnyColumn, regionCode: string): SQL {
  const range = prefixRange(regionPrefix(regionCode));
  return range ? and(gte(column, range[0]), lt(column, range[1]))! : sql`true`;
}
