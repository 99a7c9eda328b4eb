/**
 * Merge (合并) of adjacent patches of one county and one situation, where a region's policy allows it: the split
 * (docs/domain.md §13) in reverse. The county proposes, the level above approves; the merged patch is coded after
 * the first source (`<first>_H1`: H for 合并; the notices name no code for a merged patch, and a split's `_1`,
 * `_2` … must stay free for the source itself), its polygon the union, its area ellipsoidal (domain/area.ts), its
 * deadlines the sources' earliest (a merge buys no time); the sources close as 被合并.
 */
import type { Legality } from './types';

/** The merged patch's code: the first source's code and `_H1`. */
export const mergedCode = (firstSourceCode: string): string => `${firstSourceCode}_H1`;

/** At least two sources (the patch and one neighbour); not more than a county merges by hand. */
export const MERGE_SOURCES_MIN = 2;
export const MERGE_SOURCES_MAX = 10;

/** Patches touch when they lie within this many metres of each other (edges digitised apart, never exactly shared). */
export const MERGE_ADJACENCY_METRES = 1;

/** The stages of a patch still open to a merge: issued and not yet determined by the county. */
export const MERGEABLE_STAGES = ['issued', 'verification'] as const;

/** Why a merge is refused: the rule, named in the 422's issue (`path` is the field it concerns). */
export type MergeRule =
  | 'merge_not_allowed'
  | 'merge_other_county'
  | 'merge_determined'
  | 'merge_pending'
  | 'merge_military'
  | 'merge_batch_kind'
  | 'merge_not_adjacent'
  | 'merge_no_geometry'
  | 'merge_unknown_patch';

export interface MergeSource {
  code: string;
  areaMu: number;
}

/** What the county states for the merged patch: one situation, one legality class. */
export interface MergeStatement {
  legality: Legality;
  reason: string;
}

/**
 * Counting never counts twice (docs/domain.md §13): issued counts the sources (as the ministry issued them), not
 * the merged patch; determinations, areas and illegal counts the merged patch, not the sources (which close
 * undetermined).
 */
export const MERGE_COUNTING_RULES = {
  issued: 'unmerged_and_sources',
  determinations: 'unmerged_and_merged',
} as const;
