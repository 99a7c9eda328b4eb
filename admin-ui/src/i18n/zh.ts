/** 中文界面文字（默认语言）。领域代码的中文名称取自 domain/labels.ts。 */
import { ROLE_LABELS } from '../../../domain/authorization';
import { CATEGORY_LABELS, LEGALITY_LABELS, STAGE_LABELS, TASK_LABELS } from '../../../domain/labels';

export const zh = {
  app: {
    title: '卫片执法',
    overdue: '已逾期',
    dueSoon: '即将到期',
    language: '语言',
    loginFailed: '登录失败',
    /** Punctuation between texts, so that no Chinese punctuation shows in English. */
    sep: { colon: '：', list: '、', semi: '；' },
    paren: '（%{text}）',
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

/** What the Chinese react-admin pack (@haxqer/ra-language-chinese) lacks of ra-language-english. */
export const raChinese = {
  ra: {
    action: { reset: '重置', search_columns: '搜索列', select_all_button: '全选' },
    page: { access_denied: '无权访问', authentication_error: '认证出错' },
    message: {
      access_denied: '您没有访问此页面的权限',
      authentication_error: '认证服务器返回错误，无法验证您的登录信息。',
      select_all_limit_reached: '条目过多，无法全部选中，仅选中了前 %{max} 条。',
      placeholder_data_warning: '网络异常：数据刷新失败。',
    },
    navigation: {
      clear_filters: '清除筛选条件',
      no_filtered_results: '当前筛选条件下没有找到%{name}。',
      partial_page_range_info: '%{offsetBegin}-%{offsetEnd} / 超过 %{offsetEnd}',
    },
    configurable: { inspector: { title: '检查器' } },
    auth: { email: '电子邮箱' },
    notification: { offline: '网络未连接，无法获取数据。' },
    validation: { unique: '不能重复' },
    guesser: { empty: { title: '没有可显示的数据', message: '请检查数据提供者' } },
  },
};
