/** A patch as GET /api/patches/:code answers it. */
export interface PatchRecord {
  id: string;
  code: string;
  batchCode?: string | null;
  countyCode: string;
  regionName?: string | null;
  category: string;
  source: string;
  batchKind: string;
  areaMu: number;
  farmlandMu?: number | null;
  military: boolean;
  issuedAt: string;
  imagedAt?: string | null;
  stage: string;
  legality?: string | null;
  directDetermination: boolean;
  overdue: boolean;
  dueAt?: string | null;
  geometry?: unknown;
  /** [lng, lat] (CGCS2000). */
  centroid?: [number, number] | null;
  determination?: unknown;
  /** Lineage (拆分): the patch this one was split from, the children split from it, a split awaiting review. */
  parentCode?: string | null;
  children?: SplitChildRecord[];
  pendingSplit?: { id: number; children: SplitChildRecord[]; parentAreaMu: number; reason: string } | null;
  /** Lineage (合并): the patch this one was merged into, the sources merged into it, a merge awaiting review. */
  mergedInto?: string | null;
  mergedFrom?: string[] | null;
  pendingMerge?: PendingMergeRecord | null;
}

export interface PendingMergeRecord {
  id: number;
  mergedCode: string;
  areaMu: number;
  legality: string;
  reason: string;
  geometry?: unknown;
  sources: SplitChildRecord[];
}

export interface SplitChildRecord {
  code: string;
  areaMu: number;
  geometry?: unknown;
  stage?: string;
  legality?: string | null;
}
