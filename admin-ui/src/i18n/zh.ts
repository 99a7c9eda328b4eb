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

/**
 * What the Chinese react-admin pack (@haxqer/ra-language-chinese) lacks of ra-language-english, and its
 * texts written again with Chinese punctuation (the pack writes "表单输入无效. 请检查错误提示", "您确定操作?").
 */
export const raChinese = {
  ra: {
    action: { reset: '重置', search_columns: '搜索列', select_all_button: '全选', bulk_actions: '已选中 %{smart_count} 项', create_item: '新建%{item}' },
    page: {
      access_denied: '无权访问',
      authentication_error: '认证出错',
      create: '新建%{name}',
      empty: '暂无%{name}',
      invite: '要新建吗？',
      list: '%{name}列表',
    },
    input: {
      file: { upload_several: '将文件拖放到这里，或点击选择文件。', upload_single: '将文件拖放到这里，或点击选择文件。' },
      image: { upload_several: '将图片拖放到这里，或点击选择图片。', upload_single: '将图片拖放到这里，或点击选择图片。' },
      references: { all_missing: '未找到关联数据。', many_missing: '至少有一条关联数据已不存在。', single_missing: '关联数据已不存在。' },
    },
    message: {
      access_denied: '您没有访问此页面的权限',
      authentication_error: '认证服务器返回错误，无法验证您的登录信息。',
      select_all_limit_reached: '条目过多，无法全部选中，仅选中了前 %{max} 条。',
      placeholder_data_warning: '网络异常：数据刷新失败。',
      are_you_sure: '确定要这样做吗？',
      bulk_delete_content: '确定要删除%{name}吗？ |||| 确定要删除这 %{smart_count} 项吗？',
      bulk_delete_title: '删除%{name} |||| 删除 %{smart_count} 项%{name}',
      bulk_update_content: '确定要更新%{name}吗？ |||| 确定要更新这 %{smart_count} 项吗？',
      bulk_update_title: '更新%{name} |||| 更新 %{smart_count} 项%{name}',
      clear_array_input: '确定要清空整个列表吗？',
      delete_content: '确定要删除该条目吗？',
      delete_title: '删除%{name} #%{id}',
      error: '客户端出错，请求未完成。',
      invalid_form: '表单输入无效，请检查错误提示。',
      loading: '正在加载，请稍候',
      not_found: '网址有误，或链接已失效。',
      unsaved_changes: '修改尚未保存，确定放弃吗？',
    },
    navigation: {
      clear_filters: '清除筛选条件',
      no_filtered_results: '当前筛选条件下没有找到%{name}。',
      partial_page_range_info: '%{offsetBegin}-%{offsetEnd} / 超过 %{offsetEnd}',
      no_more_results: '页码 %{page} 超出范围，请试试上一页。',
      page_out_of_boundaries: '页码 %{page} 超出范围',
      page_rows_per_page: '每页行数：',
    },
    configurable: { inspector: { title: '检查器' }, Datagrid: { unlabeled: '未命名的列 #%{column}' }, SimpleForm: { unlabeled: '未命名的输入框 #%{input}' } },
    auth: { email: '电子邮箱', sign_in_error: '验证失败，请重试' },
    notification: {
      offline: '网络未连接，无法获取数据。',
      updated: '已更新 |||| 已更新 %{smart_count} 项',
      deleted: '已删除 |||| 已删除 %{smart_count} 项',
      data_provider_error: '数据请求出错，详情见浏览器控制台。',
      logged_out: '会话已失效，请重新登录。',
      not_authorized: '您没有权限访问此资源。',
      application_update_available: '有新版本可用。',
    },
    saved_queries: {
      new_label: '保存当前查询…',
      remove_label_with_name: '删除查询“%{name}”',
      remove_dialog_title: '删除保存的查询？',
      remove_message: '确定要从保存的查询中删除这一项吗？',
    },
    sort: { sort_by: '按%{field}%{order}' },
    validation: {
      unique: '不能重复',
      oneOf: '必须为以下之一：%{options}',
      regex: '须符合指定的格式（正则表达式）：%{pattern}',
    },
    guesser: { empty: { title: '没有可显示的数据', message: '请检查数据提供者' } },
  },
};
