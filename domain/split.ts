/**
 * Split (拆分) of a patch into child patches, as provincial platforms do it (docs/domain.md §13): the children
 * are coded after the parent (`<parent>_1`, `<parent>_2` …), lie within it and together cover it, within a
 * tolerance; each is determined on its own, and the parent closes as 被拆分 with their outcomes.
 * Pure: the geometry checks (within, areas) are made with the project's area function in services/split-patch.ts.
 */

/** A child's code: the parent's code and its position, `_1`, `_2` … */
export const childCode = (parentCode: string, index: number): string => `${parentCode}_${index + 1}`;

/** At least two children, and not more than a county draws by hand. */
export const SPLIT_CHILDREN_MIN = 2;
export const SPLIT_CHILDREN_MAX = 20;

/**
 * The children's areas add up to the parent's within this share of it (drawing on a map, or a surveyed
 * file in another projection, never matches to the square metre).
 */
export const SPLIT_AREA_TOLERANCE = 0.02;
/** A child sticking out of the parent by at most this share of its own area still lies within it (edges drawn by hand). */
export const SPLIT_OUTSIDE_TOLERANCE = 0.01;

export type SplitIssue =
  | { rule: 'split_child_outside'; params: { child: string; outsideShare: number } }
  | { rule: 'split_children_overlap'; params: { a: string; b: string } }
  | { rule: 'split_area_mismatch'; params: { parentMu: number; childrenMu: number; tolerance: number } };

/** The area rule: the children add up to the parent within {@link SPLIT_AREA_TOLERANCE}. */
export function splitAreaIssue(parentMu: number, childMus: number[]): SplitIssue | undefined {
  const childrenMu = childMus.reduce((s, v) => s + v, 0);
  if (Math.abs(childrenMu - parentMu) <= SPLIT_AREA_TOLERANCE * parentMu) return undefined;
  const round = (v: number) => Math.round(v * 100) / 100;
  return { rule: 'split_area_mismatch', params: { parentMu: round(parentMu), childrenMu: round(childrenMu), tolerance: SPLIT_AREA_TOLERANCE } };
}

/** What a split's child carries into its own process and into the review of the split. */
export interface SplitChild {
  code: string;
  areaMu: number;
}

/**
 * Counting never counts twice (docs/domain.md §13): issued counts = unsplit patches + split parents;
 * determinations, areas, illegal counts and rectification = unsplit patches + children. Statistics,
 * reports and exports name the rule they show with these.
 */
export const COUNTING_RULES = {
  issued: 'unsplit_and_parents',
  determinations: 'unsplit_and_children',
} as const;
