/** A task as GET /api/tasks answers it. */
export interface TaskRecord {
  id: string;
  workflowId: string;
  patchCode: string;
  /** Set for the tasks of a violation case. */
  caseNo?: string | null;
  /** city | province for review-level tasks. */
  level?: string | null;
  type: string;
  regionCode: string;
  regionName?: string | null;
  role: 'officer' | 'reviewer' | 'supervisor' | 'administrator';
  status: 'open' | 'completed' | 'cancelled' | 'expired';
  restricted: boolean;
  dueAt?: string | null;
  overdue: boolean;
  openedAt: string;
  closedAt?: string | null;
  closedByName?: string | null;
  assigneeId?: number | null;
  assigneeName?: string | null;
  context?: Record<string, unknown> | null;
  result?: Record<string, unknown> | null;
  category?: string | null;
  stage?: string | null;
  batchCode?: string | null;
  areaMu?: number | null;
}
