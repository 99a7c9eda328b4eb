/** Texts of the app's frame: the menu and the notifications. */
export const zh = {
  menu: {
    tasks: '任务收件箱',
    patches: '图斑',
    cases: '问题台账',
    quota: '指标台账',
    supervision: '督办',
    statistics: '统计分析',
    imports: '导入批次',
    users: '用户管理',
    regions: '行政区',
    policies: '地区规则',
  },
  notifications: {
    title: '消息通知',
    readAll: '全部已读',
    empty: '暂无通知',
    kind: { overdue: '逾期', escalation: '逾期上报', extension: '延期', reminder: '督办提醒', case: '案件' },
    /** Written in the UI from the notice's params (a UI in Chinese shows the notice as stored). */
    subject: { patch: '图斑 %{code}', case: '案件 %{code}' },
    text: {
      reminder: '督办提醒：请按期办理%{subject} 的%{type}任务',
      reminderOverdue: '督办提醒：%{subject} 的%{type}任务已逾期%{smart_count}天，请尽快办理',
      followUp: '第%{round}次催办：%{subject} 的%{type}仍未办结',
      followUpDetail: '已逾期，请跟踪督促直至办结',
      overdue: '%{subject} 的%{type}任务已逾期',
      escalation: '下级逾期未办：%{subject} 的%{type}任务',
      region: '承办区域 %{region}',
      due: '截止时间 %{date}',
      by: '督办人 %{name}',
    },
  },
};

export const en: typeof zh = {
  menu: {
    tasks: 'Inbox',
    patches: 'Patches',
    cases: 'Problem ledger',
    quota: 'Quota ledger',
    supervision: 'Supervision',
    statistics: 'Statistics',
    imports: 'Import a batch',
    users: 'Users',
    regions: 'Regions',
    policies: 'Region policies',
  },
  notifications: {
    title: 'Notifications',
    readAll: 'Mark all read',
    empty: 'No notifications',
    kind: { overdue: 'Overdue', escalation: 'Escalated', extension: 'Extension', reminder: 'Reminder', case: 'Case' },
    subject: { patch: 'patch %{code}', case: 'case %{code}' },
    text: {
      reminder: 'Reminder: please complete the %{type} task of %{subject} on time',
      reminderOverdue:
        'Reminder: the %{type} task of %{subject} is %{smart_count} day overdue; please complete it |||| Reminder: the %{type} task of %{subject} is %{smart_count} days overdue; please complete it',
      followUp: 'Follow-up %{round}: the %{type} task of %{subject} is still not done',
      followUpDetail: 'overdue: follow it up until it is done',
      overdue: 'The %{type} task of %{subject} is overdue',
      escalation: 'Overdue below: the %{type} task of %{subject}',
      region: 'held by %{region}',
      due: 'due %{date}',
      by: 'from %{name}',
    },
  },
};
