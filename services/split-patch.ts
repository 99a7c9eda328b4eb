/**
 * A county's split of a patch (拆分, docs/domain.md §13), the part below the API: the children's polygons are
 * checked against the parent's — each lies within it, they do not overlap, and their areas add up to it within
 * a tolerance, all measured with the area the importer measures patches with — stored (patch_splits), and
 * proposed to the patch's workflow, whose reviewer above the county approves or refuses.
 */
import { featureCollection, feature, intersect } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type patches, patchSplits } from '../db/schema';
import type { SplitRequest } from '../domain/schemas/split';
import { childCode, SPLIT_OUTSIDE_TOLERANCE, splitAreaIssue, type SplitIssue } from '../domain/split';
import { areaMu } from '../domain/area';
import type { Actor } from '../domain/types';
import type { PatchSnapshot, SplitProposal } from '../workflows/messages';

type Area = Polygon | MultiPolygon;

function overlapMu(a: Area, b: Area): number {
  const shared = intersect(featureCollection([feature(a), feature(b)]) as ReturnType<typeof featureCollection<Area>>) as Feature<Area> | null;
  return shared ? areaMu(shared.geometry) : 0;
}

/** The geometric rules of a split: within the parent, no overlap, the areas add up. */
export function checkSplitGeometry(parent: Area, children: Area[]): { issues: SplitIssue[]; parentMu: number; childMus: number[] } {
  const parentMu = areaMu(parent);
  const childMus = children.map(areaMu);
  const issues: SplitIssue[] = [];
  children.forEach((c, i) => {
    const outsideShare = childMus[i] > 0 ? 1 - overlapMu(c, parent) / childMus[i] : 1;
    if (outsideShare > SPLIT_OUTSIDE_TOLERANCE)
      issues.push({ rule: 'split_child_outside', params: { child: String(i + 1), outsideShare: Math.round(outsideShare * 1000) / 1000 } });
  });
  for (let i = 0; i < children.length; i++) {
    for (let j = i + 1; j < children.length; j++) {
      if (overlapMu(children[i], children[j]) > SPLIT_OUTSIDE_TOLERANCE * Math.min(childMus[i], childMus[j])) {
        issues.push({ rule: 'split_children_overlap', params: { a: String(i + 1), b: String(j + 1) } });
      }
    }
  }
  const areas = splitAreaIssue(parentMu, childMus);
  if (areas) issues.push(areas);
  return { issues, parentMu, childMus };
}

export type SplitOutcome = { ok: true; splitId: number; snapshot: PatchSnapshot } | { ok: false; issues: SplitIssue[] } | { ok: false; noGeometry: true };

/**
 * Checks, stores and proposes a split; `propose` sends it to the patch's workflow (the API's requestSplit Update),
 * whose validator decides whether the actor may split the patch now.
 */
export async function proposeSplit(
  deps: { db: Db; propose: (proposal: SplitProposal) => Promise<PatchSnapshot> },
  parent: typeof patches.$inferSelect,
  body: SplitRequest,
  actor: Actor,
): Promise<SplitOutcome> {
  if (!parent.geometry) return { ok: false, noGeometry: true };
  const checked = checkSplitGeometry(
    parent.geometry as Area,
    body.children.map((c) => c.geometry as Area),
  );
  if (checked.issues.length) return { ok: false, issues: checked.issues };
  const children = body.children.map((c, i) => ({
    code: childCode(parent.code, i),
    areaMu: Math.round(checked.childMus[i] * 10000) / 10000,
    geometry: c.geometry,
  }));
  const [row] = await deps.db
    .insert(patchSplits)
    .values({ parentCode: parent.code, children, parentAreaMu: checked.parentMu, reason: body.reason, proposedBy: actor.displayName })
    .returning({ id: patchSplits.id });
  try {
    const snapshot = await deps.propose({
      splitId: row.id,
      actor,
      reason: body.reason,
      children: children.map(({ code, areaMu }) => ({ code, areaMu })),
      parentAreaMu: Math.round(checked.parentMu * 10000) / 10000,
    });
    return { ok: true, splitId: row.id, snapshot };
  } catch (err) {
    // Refused by the workflow (not the county's turn, a split pending): the proposal was never made.
    await deps.db.delete(patchSplits).where(eq(patchSplits.id, row.id));
    throw err;
  }
}
