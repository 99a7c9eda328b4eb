/** 中文界面文字（默认语言）。领域代码的中文名称取自 domain/labels.ts。 */
import { ROLE_LABELS } from '../../../domain/authorization';
import { CATEGORY_LABELS, LEGALITY_LABELS, STAGE_LABELS, TASK_LABELS } from '../../../domain/labels';

export const zh = {
  app: {
    title: '卫片执法',
    overdue: '已逾期',
    dueSoon: '即将到期',
    language: '语言',
  },
  enums: {
    taskType: TASK_LABELS,
    taskStatus: { open: '待办', completed: '已办结', cancelled: '已撤销', expired: '已超期移交' },
    stage: STAGE_LABELS,
    legality: LEGALITY_LABELS,
    category: CATEGORY_LABELS,
    role: ROLE_LABELS,
    source: { ministry: '部下发', province: '省下发' },
  },
  resources: {
    tasks: {
      name: '任务 |||| 任务',
      fields: {
        id: '任务编号',
        patchCode: '图斑编号',
        type: '任务类型',
        regionName: '承办区域',
        regionCode: '区划代码',
        stage: '图斑环节',
        category: '图斑类型',
        status: '状态',
        dueAt: '截止时间',
        overdue: '逾期',
        openedAt: '下达时间',
        closedAt: '办结时间',
        closedByName: '办理人',
        q: '搜索图斑编号',
      },
    },
    patches: {
      name: '图斑 |||| 图斑',
      fields: {
        code: '图斑编号',
        regionName: '所在县区',
        countyCode: '区划代码',
        category: '图斑类型',
        source: '来源',
        batchCode: '批次',
        areaMu: '面积（亩）',
        farmlandMu: '耕地（亩）',
        issuedAt: '下发时间',
        stage: '环节',
        legality: '合法性',
        directDetermination: '直接认定',
        overdue: '逾期',
        dueAt: '截止时间',
        q: '搜索图斑编号',
      },
    },
  },
};
