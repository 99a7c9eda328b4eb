/** The case row of the read model: written with the task changes of the case workflow. */
import { eq, sql } from 'drizzle-orm';
import { casePatches, cases, patches, tasks } from '../db/schema';
import type { CaseStage, RectificationPath } from '../domain/types';
import type { DbOrTx } from './audit';

export interface CaseUpdate {
  status?: CaseStage;
  party?: unknown;
  site?: string;
  facts?: string;
  decision?: unknown;
  path?: RectificationPath;
  rectificationPlan?: unknown;
  rectification?: unknown;
  certificateNo?: string;
  illegalMu?: number;
  illegalFarmlandMu?: number;
  mergedInto?: string;
  /** Set the moment of registration / elimination of the illegal state / strike-off to now. */
  registered?: boolean;
  eliminated?: boolean;
  struckOff?: boolean;
}

export async function applyCaseUpdate(db: DbOrTx, caseNo: string, u: CaseUpdate | undefined): Promise<void> {
  const now = new Date();
  await db
    .update(cases)
    .set({
      ...(u?.status !== undefined && { status: u.status }),
      ...(u?.party !== undefined && { party: u.party }),
      ...(u?.site !== undefined && { site: u.site }),
      ...(u?.facts !== undefined && { facts: u.facts }),
      ...(u?.decision !== undefined && { decision: u.decision }),
      ...(u?.path !== undefined && { path: u.path }),
      ...(u?.rectificationPlan !== undefined && { rectificationPlan: u.rectificationPlan }),
      ...(u?.rectification !== undefined && { rectification: u.rectification }),
      ...(u?.certificateNo !== undefined && { certificateNo: u.certificateNo }),
      ...(u?.illegalMu !== undefined && { illegalMu: u.illegalMu }),
      ...(u?.illegalFarmlandMu !== undefined && { illegalFarmlandMu: u.illegalFarmlandMu }),
      ...(u?.mergedInto !== undefined && { mergedInto: u.mergedInto }),
      ...(u?.registered && { registeredAt: now }),
      ...(u?.eliminated && { eliminated: true, eliminatedAt: now }),
      ...(u?.struckOff && { struckOffAt: now }),
      dueAt: sql`(select min(${tasks.dueAt}) from ${tasks} where ${tasks.caseNo} = ${caseNo} and ${tasks.status} = 'open')`,
      overdue: sql`exists(select 1 from ${tasks} where ${tasks.caseNo} = ${caseNo} and ${tasks.status} = 'open' and ${tasks.overdue})`,
      updatedAt: now,
    })
    .where(eq(cases.caseNo, caseNo));
  if (u?.eliminated) {
    // The statistics read rectification from the patch rows.
    await db
      .update(patches)
      .set({ rectified: true, rectificationPath: sql`(select ${cases.path} from ${cases} where ${cases.caseNo} = ${caseNo})`, updatedAt: now })
      // The land figures' rectification (a mineral case's rectification is the mineral figures', counted from the cases).
      .where(
        sql`${patches.code} in (select ${casePatches.patchCode} from ${casePatches} where ${casePatches.caseNo} = ${caseNo}) and not exists (select 1 from ${cases} where ${cases.caseNo} = ${caseNo} and ${cases.subject} = 'mineral')`,
      );
  }
}
