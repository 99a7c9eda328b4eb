/** Chinese labels used by server-side texts (notifications, reports). The UI has its own i18n files. */
import type { Legality, PatchStage, TaskType } from './types';

export const TASK_LABELS: Record<TaskType, string> = {
  verification: '核查填报',
  correction: '退回修正',
  review: '内业审核',
  direct_determination: '直接认定',
  onsite_check: '实地核查',
  extension_decision: '延期审批',
  military_report: '军用土地机要上报',
};

export const STAGE_LABELS: Record<PatchStage, string> = {
  issued: '已下发',
  verification: '核查填报',
  review: '内业审核',
  correction: '退回修正',
  direct_determination: '直接认定',
  onsite_check: '实地核查',
  case: '立案查处',
  military_offline: '机要渠道上报',
  closed: '已办结',
};

export const LEGALITY_LABELS: Record<Legality, string> = { legal: '合法', illegal: '违法', other: '其他' };
