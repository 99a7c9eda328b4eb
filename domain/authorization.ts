/**
 * Who may act on what. An actor sees and acts only within its region's subtree; a task also names the
 * role that completes it; restricted (military) tasks need the classified-handling permission.
 */
import { inSubtree } from './regions';
import type { Actor, Role } from './types';

export interface TaskAccess {
  regionCode: string;
  role: Role;
  restricted: boolean;
}

export type AccessDecision = { ok: true } | { ok: false; reason: string; reasonEn: string };

export const ROLE_LABELS: Record<Role, string> = {
  officer: '核查员',
  reviewer: '审核员',
  supervisor: '督办员',
  administrator: '管理员',
};

export function canSeeRegion(actor: Pick<Actor, 'regionCode'>, regionCode: string): AccessDecision {
  if (inSubtree(regionCode, actor.regionCode)) return { ok: true };
  return {
    ok: false,
    reason: `行政区 ${regionCode} 不在您的辖区（${actor.regionCode}）内`,
    reasonEn: `region ${regionCode} is outside your jurisdiction (${actor.regionCode})`,
  };
}

export function canActOnTask(actor: Actor, task: TaskAccess): AccessDecision {
  const region = canSeeRegion(actor, task.regionCode);
  if (!region.ok) {
    return {
      ok: false,
      reason: `该任务属于行政区 ${task.regionCode}，不在您的辖区（${actor.regionCode}）内`,
      reasonEn: `the task belongs to region ${task.regionCode}, outside your jurisdiction (${actor.regionCode})`,
    };
  }
  if (task.restricted && !actor.classified) {
    return { ok: false, reason: '该任务涉密，须具备涉密处理权限', reasonEn: 'the task is classified: it needs the classified-handling permission' };
  }
  if (actor.role !== task.role) {
    return {
      ok: false,
      reason: `该任务须由${ROLE_LABELS[task.role]}办理，您的角色是${ROLE_LABELS[actor.role]}`,
      reasonEn: `the task is for the ${task.role} role; you are ${actor.role}`,
    };
  }
  return { ok: true };
}
