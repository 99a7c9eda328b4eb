/** A case as GET /api/cases and GET /api/cases/:caseNo answer it. */
import type { CaseDecision, Party, Rectification } from './views';

export interface CaseRecord {
  id: string;
  caseNo: string;
  countyCode: string;
  regionName?: string | null;
  status: string;
  origin: string;
  year?: number | null;
  carriedOver: boolean;
  primaryPatchCode?: string | null;
  party?: Party | null;
  path?: string | null;
  illegalMu?: number | null;
  illegalFarmlandMu?: number | null;
  eliminated: boolean;
  certificateNo?: string | null;
  mergedInto?: string | null;
  /** Opened by a re-check that found rebuilding: the patch's earlier case. */
  previousCaseNo?: string | null;
  overdue: boolean;
  dueAt?: string | null;
  openedAt: string;
  registeredAt?: string | null;
  eliminatedAt?: string | null;
  struckOffAt?: string | null;
}

export interface CaseDetail extends CaseRecord {
  /** Cases re-checks opened after this one. */
  laterCases?: Array<{ caseNo: string; status: string; openedAt: string }>;
  site?: string | null;
  facts?: string | null;
  decision?: CaseDecision | null;
  rectificationPlan?: { responsiblePerson: string; measures: string; plannedBy: string } | null;
  rectification?: Rectification | null;
  patches: Array<{
    code: string;
    stage: string;
    legality?: string | null;
    areaMu: number;
    determination?: { areas?: { totalMu?: number; farmlandMu?: number } } | null;
  }>;
  transfers: Array<{
    taskId: string;
    status: string;
    context?: { organ?: string; department?: string } | null;
    result?: { receivedOn?: string; result?: string; documentNumber?: string } | null;
    dueAt?: string | null;
    overdue: boolean;
    closedAt?: string | null;
  }>;
  ledger: QuotaEntry[];
  /** Every task of the case, at whichever level. */
  tasks: CaseTask[];
}

export interface CaseTask {
  id: string;
  type: string;
  regionCode: string;
  regionName?: string | null;
  role: string;
  status: string;
  dueAt?: string | null;
  overdue: boolean;
  openedAt: string;
  closedAt?: string | null;
  closedByName?: string | null;
  result?: Record<string, unknown> | null;
}

export interface QuotaEntry {
  id: number;
  entryKey?: string;
  /** The case's county. */
  countyCode: string;
  countyName?: string | null;
  /** Whose account: the county (farmland reserve) or the city (Jiangmen's construction-land plan quota). */
  regionCode: string;
  regionName?: string | null;
  account: string;
  kind: string;
  areaMu: number;
  caseNo: string;
  patchCode: string;
  reason?: string | null;
  actorName: string;
  at: string;
}
