/**
 * Chinese labels of the domain's codes: server-side texts (notifications, reports) and the UI's zh-CN messages use these.
 * The few English ones (*_EN) name codes in the server's English messages; they say what the UI's English texts say
 * (test/i18n-messages.test.ts).
 */
import type { FarmlandFlag } from './policy';
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
  split_review: '拆分审核',
  merge_review: '合并审核',
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
  split: '被拆分',
  merged: '被合并',
};

export const LEGALITY_LABELS: Record<Legality, string> = { legal: '合法', illegal: '违法', other: '其他' };
export const LEGALITY_LABELS_EN: Record<Legality, string> = { legal: 'Legal', illegal: 'Illegal', other: 'Other' };

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

/** Sub-types of a legality determination (domain/legality.ts LEGALITY_SUBTYPES), after 《土地卫片执法图斑合法性判定规则》. */
export const SUBTYPE_LABELS: Record<string, string> = {
  approved_construction: '依法批准建设用地',
  linked_increase_decrease: '城乡建设用地增减挂钩',
  temporary_land: '临时用地',
  facility_agriculture: '设施农业用地',
  land_consolidation: '全域土地综合整治',
  other_legal: '其他合法用地',
  occupied_without_approval: '未经批准占用',
  beyond_approved_scope: '超出批准范围',
  changed_approved_use: '擅自改变批准用途',
  illegal_mining: '违法采矿',
  agricultural_project_illegal: '农业项目违法',
  other_illegal: '其他违法',
  unchanged: '实地未变化',
  rural_road: '农村道路',
  demolished_recultivated: '已拆除复耕',
  agricultural_structure: '农业结构调整',
  natural_change: '自然灾害等非人为变化',
  other: '其他',
};

export const CATEGORY_LABELS_EN: Record<PatchCategory, string> = {
  new_non_agricultural_construction: 'New non-agricultural construction',
  other_new_construction: 'Other new construction',
  other_change: 'Other change',
  continuous_change: 'Continuous change within the year',
  facility_agriculture: 'Facility agriculture',
  agricultural_project_illegal: 'Agricultural project (illegal)',
  unchanged_occupying_farmland: 'Unchanged, occupying farmland',
  mineral: 'Mineral',
};

export const SUBTYPE_LABELS_EN: Record<string, string> = {
  approved_construction: 'Approved construction land',
  linked_increase_decrease: 'Linked increase/decrease',
  temporary_land: 'Temporary land',
  facility_agriculture: 'Facility agriculture land',
  land_consolidation: 'Comprehensive land consolidation',
  other_legal: 'Other legal use',
  occupied_without_approval: 'Occupied without approval',
  beyond_approved_scope: 'Beyond the approved scope',
  changed_approved_use: 'Changed the approved use',
  illegal_mining: 'Illegal mining',
  agricultural_project_illegal: 'Agricultural project (illegal)',
  other_illegal: 'Other illegal',
  unchanged: 'Unchanged on site',
  rural_road: 'Rural road',
  demolished_recultivated: 'Demolished and re-cultivated',
  agricultural_structure: 'Agricultural restructuring',
  natural_change: 'Natural (non-human) change',
  other: 'Other',
};

export const FARMLAND_FLAG_LABELS: Record<FarmlandFlag, string> = {
  rural_housing: '是否新增农村乱占耕地建房',
  greenhouse_house: '是否大棚房',
  landscape_lake: '是否挖湖造景',
  fund_project: '是否基金项目',
  affordable_housing: '是否保障性安居住房',
  epidemic_medical: '是否因防疫和防治重大疫情需要建设的医疗卫生设施',
};

export const FARMLAND_FLAG_LABELS_EN: Record<FarmlandFlag, string> = {
  rural_housing: 'New rural housing on farmland?',
  greenhouse_house: 'Housing built as a greenhouse?',
  landscape_lake: 'Lake dug for landscaping?',
  fund_project: 'Fund project?',
  affordable_housing: 'Affordable housing?',
  epidemic_medical: 'Epidemic medical facility?',
};
