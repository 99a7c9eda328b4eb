/** Row filters that keep an actor inside its region's subtree (and away from classified rows without the permission). */
import { eq, like, type AnyColumn, type SQL } from 'drizzle-orm';
import { regionPrefix } from '../domain/regions';
import type { Actor } from '../domain/types';

export function withinRegion(column: AnyColumn, regionCode: string): SQL {
  return like(column, `${regionPrefix(regionCode)}%`);
}

/** Military (classified) rows exist only for users with the classified-handling permission. */
export function classifiedFilter(actor: Actor, restrictedColumn: AnyColumn): SQL | undefined {
  return actor.classified ? undefined : eq(restrictedColumn, false);
}
