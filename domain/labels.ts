/** Chinese labels of the domain's codes: server-side texts (notifications, reports) and the UI's zh-CN messages use these. */
import type { Legality, PatchCategory, PatchStage, TaskType } from './types';

export const TASK_LABELS: Record<TaskType, string> = {
  verification: '核查填报',
  correction: '退回修正',
  review: '内业审核',
  direct_determination: '直接认定',
  onsite_check: '实地核查',
  extension_decision: '延期审批',
  military_report: '军用土地机要上报',
  case_register: '立案',
  stop_order: '责令停止违法行为',
  case_decision: '处罚决定',
  transfer_feedback: '移送反馈',
  rectification_plan: '整改方案',
  rectification: '整改',
  acceptance_county: '县级初验',
  acceptance_city: '市级验收',
  acceptance_province: '省级确认',
  recheck: '周期复核',
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
  recheck: '周期复核',
  closed: '已办结',
};

export const LEGALITY_LABELS: Record<Legality, string> = { legal: '合法', illegal: '违法', other: '其他' };

export const CATEGORY_LABELS: Record<PatchCategory, string> = {
  new_non_agricultural_construction: '新增非农建设类',
  other_new_construction: '其他新增建设类',
  other_change: '其他变化类',
  continuous_change: '年度内持续变化类',
  facility_agriculture: '设施农业用地类',
  agricultural_project_illegal: '农业项目违法类',
  unchanged_occupying_farmland: '未变化占用耕地类',
  mineral: '矿产卫片图斑',
};
