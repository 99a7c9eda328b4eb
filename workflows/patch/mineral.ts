/**
 * 一图两用、地矿同核 (000 二(一); 004 三(二)): a patch's mineral violation (违法采矿 / 越界开采) opens a case of its
 * own beside the land case (004 三(四): 符合立案条件的必须立案查处); the patch closes when every case it opened is
 * struck off. Guarded by patched('mineral-case'): only determinations with a mineral part reach it.
 */
import { patched } from '@temporalio/workflow';
import { mineralViolation } from '../../domain/mineral';
import type { CaseStatus } from '../messages';
import type { PatchState } from './state';

/** Whether the determination in force asks for a mineral case (recorded as a patch marker the first time it does). */
export const wantsMineralCase = (state: PatchState): boolean => mineralViolation(state.determination?.mineral) && patched('mineral-case');

/**
 * A case of the patch was struck off. Without a mineral case: that status, as before. With one: undefined while
 * the other case is still open; once both are, the land case's status (the patch's re-checks follow the land),
 * or — with a mineral case alone — a plain close.
 */
export function settledCaseStatus(state: PatchState, status: CaseStatus): CaseStatus | undefined {
  if (!state.mineralCaseNo) return status;
  if (status.subject === 'mineral' || status.caseNo === state.mineralCaseNo) state.mineralCaseClosed = true;
  else state.landCaseStatus = status;
  const landDone = state.caseNo === undefined || state.landCaseStatus !== undefined;
  if (!state.mineralCaseClosed || !landDone) return undefined;
  return state.landCaseStatus ?? { caseNo: status.caseNo, status: status.status, closed: true };
}
