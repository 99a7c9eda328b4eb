/** Work distribution: who may hand tasks to others (issue 5: reviewers, supervisors, administrators), and to whom. */
import { LEVEL_TASK_TYPES, ROLE_LABELS } from './authorization';
import { inSubtree } from './regions';
import type { Role, TaskType } from './types';

export const ASSIGNER_ROLES: readonly Role[] = ['reviewer', 'supervisor', 'administrator'];

export const canAssign = (role: Role): boolean => ASSIGNER_ROLES.includes(role);

/** Why a task may not go to a user (Chinese and English), or undefined when it may. */
export function assignmentProblem(
  task: { role: string; regionCode: string; restricted: boolean; type?: string },
  user: { role: string; regionCode: string; classified: boolean; active: boolean } | undefined,
): { message: string; messageEn: string } | undefined {
  if (!user?.active) return { message: '用户不存在或已停用', messageEn: 'no such active user' };
  if (user.role !== task.role) {
    return {
      message: `该任务须由${ROLE_LABELS[task.role as Role]}办理，所选用户是${ROLE_LABELS[user.role as Role]}`,
      messageEn: `the task is for the ${task.role} role; the user is ${user.role}`,
    };
  }
  if (!inSubtree(user.regionCode, task.regionCode)) {
    return {
      message: `用户所在行政区 ${user.regionCode} 不在任务所属区域 ${task.regionCode} 内`,
      messageEn: `the user's region ${user.regionCode} is outside the task's region ${task.regionCode}`,
    };
  }
  if (task.type && LEVEL_TASK_TYPES.includes(task.type as TaskType) && user.regionCode !== task.regionCode) {
    return {
      message: `该任务须由行政区 ${task.regionCode} 本级人员办理，所选用户属于行政区 ${user.regionCode}`,
      messageEn: `the task is done by the staff of region ${task.regionCode}; the user belongs to ${user.regionCode}`,
    };
  }
  if (task.restricted && !user.classified)
    return { message: '该任务涉密，所选用户不具备涉密处理权限', messageEn: 'the task is classified and the user lacks the permission' };
  return undefined;
}
