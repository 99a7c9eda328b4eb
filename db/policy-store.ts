/**
 * Reads region policies: the latest version of each region's overrides, merged down the region tree.
 */
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { writeAudit } from './audit';
import { BASE_POLICY, broadcastWorkflowIdOf, mergePolicy, migratePolicyOverrides, type PolicyOverrides, type RegionPolicy } from '../domain/policy';
import { SYSTEM_ACTOR, type Actor } from '../domain/types';
import { ancestry } from '../domain/regions';
import type { Db, DbOrTx } from './client';
import { regionPolicies } from './schema';

export interface EffectivePolicy {
  policy: RegionPolicy;
  /** The id of the newest policy row in the chain: grows with every change that applies here. */
  version: number;
  /** The region whose row set each top-level key last (for "inherited / overridden" in the editor). */
  layers: Array<{ regionCode: string; version: number; id: number; overrides: PolicyOverrides }>;
}

export async function latestOverrides(db: DbOrTx, regionCodes: string[]) {
  if (regionCodes.length === 0) return [];
  return db
    .selectDistinctOn([regionPolicies.regionCode])
    .from(regionPolicies)
    .where(inArray(regionPolicies.regionCode, regionCodes))
    .orderBy(regionPolicies.regionCode, desc(regionPolicies.version));
}

/** Effective policy of a region, optionally with a proposed override of one region in the chain (preview). */
export async function loadEffectivePolicy(
  db: DbOrTx,
  regionCode: string,
  proposed?: { regionCode: string; overrides: PolicyOverrides },
): Promise<EffectivePolicy> {
  const chain = ancestry(regionCode);
  const rows = await latestOverrides(db, chain);
  const byRegion = new Map(rows.map((r) => [r.regionCode, r]));
  const layers: EffectivePolicy['layers'] = [];
  for (const code of chain) {
    const row = byRegion.get(code);
    if (proposed && proposed.regionCode === code) {
      layers.push({ regionCode: code, version: (row?.version ?? 0) + 1, id: Number.MAX_SAFE_INTEGER, overrides: proposed.overrides });
    } else if (row) {
      // A version saved before a rule shape changed is read in the current shape.
      layers.push({ regionCode: code, version: row.version, id: row.id, overrides: migratePolicyOverrides(row.overrides) });
    }
  }
  const policy = mergePolicy<RegionPolicy>(BASE_POLICY, ...layers.map((l) => l.overrides));
  const version = layers.reduce((max, l) => Math.max(max, l.id === Number.MAX_SAFE_INTEGER ? 0 : l.id), 0);
  return { policy, version, layers };
}

/** Appends a new version of a region's overrides and returns its row. */
export async function savePolicyVersion(db: Db, input: { regionCode: string; overrides: PolicyOverrides; note?: string; createdBy?: number; actor?: Actor }) {
  return db.transaction(async (tx) => {
    // Serialise writers of one region so versions stay dense.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'policy:' + input.regionCode}))`);
    const [last] = await tx
      .select({ version: regionPolicies.version, overrides: regionPolicies.overrides })
      .from(regionPolicies)
      .where(eq(regionPolicies.regionCode, input.regionCode))
      .orderBy(desc(regionPolicies.version))
      .limit(1);
    const [row] = await tx
      .insert(regionPolicies)
      .values({
        regionCode: input.regionCode,
        version: (last?.version ?? 0) + 1,
        overrides: input.overrides,
        note: input.note,
        createdBy: input.createdBy,
      })
      .returning();
    // Who changed which region's rules, from what to what: in the append-only audit log with the change itself.
    await writeAudit(tx, {
      eventKey: `policy.changed:${row.id}`,
      actor: input.actor ?? SYSTEM_ACTOR,
      action: 'policy.changed',
      regionCode: input.regionCode,
      before: last ? { regionCode: input.regionCode, version: last.version, overrides: last.overrides } : null,
      after: { regionCode: input.regionCode, version: row.version, overrides: row.overrides, note: row.note },
      workflowId: broadcastWorkflowIdOf(row.regionCode, row.id),
    });
    return row;
  });
}
