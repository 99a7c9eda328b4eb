/**
 * A county's merge of adjacent patches (合并, docs/domain.md §13), the part below the API: the region's policy
 * allows it; the sources are the county's, open (not yet determined), of one batch kind, none military, in no
 * other merge, and adjacent (touching or overlapping within MERGE_ADJACENCY_METRES, measured with turf); the union
 * and its ellipsoidal area (domain/area.ts) are stored (patch_merges) and proposed to the first source's workflow,
 * whose reviewer above the county approves or refuses. A county's proposals are taken one at a time (an advisory
 * lock), so two at once cannot both take the same patch.
 */
import { booleanIntersects, buffer, feature, featureCollection, union } from '@turf/turf';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/client';
import { loadEffectivePolicy } from '../db/policy-store';
import { patches, patchMerges } from '../db/schema';
import { areaMu } from '../domain/area';
import { MERGE_ADJACENCY_METRES, MERGEABLE_STAGES, type MergeRule, mergedCode } from '../domain/merge';
import type { MergeRequest } from '../domain/schemas/merge';
import type { Actor } from '../domain/types';
import type { MergeProposal, PatchSnapshot } from '../workflows/messages';

type Area = Polygon | MultiPolygon;
type PatchRow = typeof patches.$inferSelect;

/** One refusal: the rule, the field it concerns (`code`: the patch of the path; `with.<i>`: a neighbour), the patch. */
export interface MergeIssue {
  rule: MergeRule;
  path: string;
  code?: string;
}

export type MergeOutcome = { ok: true; mergeId: number; mergedCode: string; snapshot: PatchSnapshot } | { ok: false; issues: MergeIssue[] };

/** Whether two polygons touch or overlap, within the tolerance (a buffer of MERGE_ADJACENCY_METRES around one). */
export function adjacent(a: Area, b: Area): boolean {
  if (booleanIntersects(a, b)) return true;
  const grown = buffer(feature(a), MERGE_ADJACENCY_METRES / 1000, { units: 'kilometers' });
  return grown ? booleanIntersects(grown, b) : false;
}

/** The sources that do not join the first through a chain of adjacent ones (the merged patch is one piece). */
export function unconnected(areas: Area[]): number[] {
  const reached = new Set([0]);
  const queue = [0];
  while (queue.length) {
    const i = queue.shift()!;
    areas.forEach((a, j) => {
      if (!reached.has(j) && adjacent(areas[i], a)) {
        reached.add(j);
        queue.push(j);
      }
    });
  }
  return areas.map((_, i) => i).filter((i) => !reached.has(i));
}

/** The union of the sources' polygons. */
export function unionOf(areas: Area[]): Area {
  const merged = union(featureCollection(areas.map((a) => feature(a)))) as Feature<Area> | null;
  return merged!.geometry;
}

/** The rules that need no geometry: policy, county, open, military, batch kind, pending merges. */
function rowIssues(lead: PatchRow, rows: Array<PatchRow | undefined>, pending: Set<string>): MergeIssue[] {
  const issues: MergeIssue[] = [];
  rows.forEach((r, i) => {
    const path = i === 0 ? 'code' : `with.${i - 1}`;
    if (!r) {
      issues.push({ rule: 'merge_unknown_patch', path });
      return;
    }
    const code = r.code;
    if (r.military || lead.military) issues.push({ rule: 'merge_military', path, code });
    else if (r.countyCode !== lead.countyCode) issues.push({ rule: 'merge_other_county', path, code });
    else if (!(MERGEABLE_STAGES as readonly string[]).includes(r.stage) || r.legality) issues.push({ rule: 'merge_determined', path, code });
    else if (r.mergedInto || pending.has(code)) issues.push({ rule: 'merge_pending', path, code });
    else if (r.batchKind !== lead.batchKind) issues.push({ rule: 'merge_batch_kind', path, code });
    else if (!r.geometry) issues.push({ rule: 'merge_no_geometry', path, code });
  });
  return issues;
}

/** The patches of the county in a merge waiting for review. */
async function pendingCodes(db: Pick<Db, 'select'>, codes: string[]): Promise<Set<string>> {
  const rows = await db
    .select({ codes: patchMerges.sourceCodes })
    .from(patchMerges)
    .where(
      sql`${patchMerges.status} = 'proposed' and ${patchMerges.sourceCodes} ?| array[${sql.join(
        codes.map((c) => sql`${c}`),
        sql`, `,
      )}]::text[]`,
    );
  return new Set(rows.flatMap((r) => r.codes));
}

/**
 * Checks, stores and proposes a merge; `propose` sends it to the lead's workflow (the API's requestMerge Update),
 * whose validator decides whether the actor may merge the patch now. Nothing is stored when it is refused.
 */
export async function proposeMerge(
  deps: { db: Db; propose: (proposal: MergeProposal) => Promise<PatchSnapshot> },
  lead: PatchRow,
  body: MergeRequest,
  actor: Actor,
): Promise<MergeOutcome> {
  const { policy } = await loadEffectivePolicy(deps.db, lead.countyCode);
  if (!policy.merge?.allowed) return { ok: false, issues: [{ rule: 'merge_not_allowed', path: 'with' }] };
  const codes = [lead.code, ...body.with.filter((c) => c !== lead.code)];
  const stored = await deps.db.transaction(async (tx) => {
    // One proposal of a county at a time: the pending check and the insert see each other.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`merge:${lead.countyCode}`}))`);
    const found = await tx.select().from(patches).where(inArray(patches.code, codes));
    // A military patch is unknown to whoever may not see it (000 二(二)).
    const rows = codes.map((c) => found.find((r) => r.code === c && (!r.military || actor.classified)));
    const issues = rowIssues(lead, rows, await pendingCodes(tx, codes));
    if (issues.length) return { issues };
    const areas = rows.map((r) => r!.geometry as Area);
    const apart = unconnected(areas);
    if (apart.length) return { issues: apart.map((i) => ({ rule: 'merge_not_adjacent' as const, path: `with.${i - 1}`, code: codes[i] })) };
    const geometry = unionOf(areas);
    const sources = rows.map((r, i) => ({ code: r!.code, areaMu: Math.round(areaMu(areas[i]) * 10000) / 10000 }));
    const unionMu = Math.round(areaMu(geometry) * 10000) / 10000;
    const [row] = await tx
      .insert(patchMerges)
      .values({
        leadCode: lead.code,
        sources,
        sourceCodes: codes,
        mergedCode: mergedCode(lead.code),
        geometry,
        areaMu: unionMu,
        legality: body.legality,
        reason: body.reason,
        proposedBy: actor.displayName,
      })
      .returning({ id: patchMerges.id });
    return { id: row.id, sources, unionMu };
  });
  if ('issues' in stored) return { ok: false, issues: stored.issues ?? [] };
  try {
    const snapshot = await deps.propose({
      mergeId: stored.id,
      actor,
      reason: body.reason,
      legality: body.legality,
      sources: stored.sources,
      mergedCode: mergedCode(lead.code),
      areaMu: stored.unionMu,
    });
    return { ok: true, mergeId: stored.id, mergedCode: mergedCode(lead.code), snapshot };
  } catch (err) {
    // Refused by the workflow (not the county's turn, a merge pending): the proposal was never made.
    await deps.db.delete(patchMerges).where(eq(patchMerges.id, stored.id));
    throw err;
  }
}

/** The county's open patches a patch may be merged with, adjacent ones first (for the 合并图斑 form). */
export async function mergeCandidates(db: Db, lead: PatchRow): Promise<Array<{ code: string; areaMu: number; adjacent: boolean; geometry: unknown }>> {
  const rows = await db
    .select({ code: patches.code, areaMu: patches.areaMu, geometry: patches.geometry, batchKind: patches.batchKind })
    .from(patches)
    .where(
      sql`${patches.countyCode} = ${lead.countyCode} and ${patches.code} <> ${lead.code} and not ${patches.military}
        and ${patches.stage} in ('issued', 'verification') and ${patches.legality} is null and ${patches.mergedInto} is null
        and ${patches.geometry} is not null and ${patches.batchKind} = ${lead.batchKind}`,
    )
    .limit(500);
  const own = lead.geometry as Area | null;
  const listed = rows.map((r) => ({ code: r.code, areaMu: r.areaMu, geometry: r.geometry, adjacent: own ? adjacent(own, r.geometry as Area) : false }));
  return listed.sort((a, b) => Number(b.adjacent) - Number(a.adjacent) || a.code.localeCompare(b.code)).slice(0, 50);
}
