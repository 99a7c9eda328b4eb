/** Work distribution: who may hand tasks to others (issue 5: reviewers, supervisors, administrators). */
import type { Role } from './types';

export const ASSIGNER_ROLES: readonly Role[] = ['reviewer', 'supervisor', 'administrator'];

export const canAssign = (role: Role): boolean => ASSIGNER_ROLES.includes(role);
