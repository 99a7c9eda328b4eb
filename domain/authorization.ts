/**
 * Who may act on what. An actor sees and acts only within its region's subtree; a task also names the
 * role that completes it; restricted (military) tasks need the classified-handling permission.
 */
import { inSubtree, regionLevel, type RegionLevel } from './regions';
import type { Actor, Role, TaskType } from './types';

export interface TaskAccess {
  regionCode: string;
  role: Role;
  restricted: boolean;
  type?: TaskType;
}

/**
 * Tasks of one level's own reviewers: the review of that level, the direct determination by the level that
 * sent back, the on-site check by the level the thresholds name. Each level reviews in turn ("逐级审核上报",
 * 001 三(三); 市局…逐图斑审核 then the province, 003 四(二); the province "在县级…确认上报数据后一个月内" reviews
 * what the lower levels passed, 000 二(四)); no notice lets a higher level do a lower level's review.
 */
export const LEVEL_TASK_TYPES: readonly TaskType[] = ['review', 'direct_determination', 'onsite_check'];

const LEVEL_LABELS: Record<RegionLevel, string> = { national: '部级', province: '省级', city: '市级', county: '县级' };

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

/**
 * Whether the actor may complete (or claim, or ask an extension of) the task. `sameLevel: false` skips the
 * level rule: a workflow's Update handler re-checks a completion its validator accepted, and must keep
 * accepting what histories from before the rule recorded.
 */
export function canActOnTask(actor: Actor, task: TaskAccess, opts: { sameLevel?: boolean } = {}): AccessDecision {
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
  if ((opts.sameLevel ?? true) && task.type && LEVEL_TASK_TYPES.includes(task.type) && actor.regionCode !== task.regionCode) {
    const level = LEVEL_LABELS[regionLevel(task.regionCode)];
    return {
      ok: false,
      reason: `该任务属于${level}（行政区 ${task.regionCode}），须由${level}${ROLE_LABELS[task.role]}办理，上级不代行下级的审核`,
      reasonEn: `the task belongs to the ${regionLevel(task.regionCode)} level (region ${task.regionCode}) and is done by its own ${task.role}s`,
    };
  }
  return { ok: true };
}
