/** Row filters that keep an actor inside its region's subtree (and away from classified rows without the permission). */
import { eq, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Actor } from '../domain/types';

export { withinRegion } from '../db/region-filter';

/** Military (classified) rows exist only for users with the classified-handling permission. */
export function classifiedFilter(actor: Actor, restrictedColumn: AnyColumn): SQL | undefined {
  return actor.classified ? undefined : eq(restrictedColumn, false);
}
