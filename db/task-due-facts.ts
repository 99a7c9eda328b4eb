/**
 * The facts an open task's due instant is computed from (domain/deadlines.ts, dueAtFor): the task's type, level
 * and event, and its patch's county, batch kind, issuance and imaging. Columns to select from `tasks` joined
 * with `patches` on the task's patch code (the policy preview, the policy fan-out).
 */
import { patches, tasks } from './schema';

export const taskDueFacts = {
  taskId: tasks.id,
  workflowId: tasks.workflowId,
  type: tasks.type,
  level: tasks.level,
  eventAt: tasks.eventAt,
  countyCode: patches.countyCode,
  batchKind: patches.batchKind,
  issuedAt: patches.issuedAt,
  imagedAt: patches.imagedAt,
};
