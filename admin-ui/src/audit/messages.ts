/**
 * Labels of audit actions for timelines. Actions are "<task type>.<event>" (composed from the task type's
 * name and the event) or one of the named actions below.
 */
export const zh = {
  audit: {
    action: {
      'patch.issued': '图斑下发',
      'deadlines.recomputed': '按新规则重算截止时间',
      'task.claimed': '认领任务',
      'task.unclaimed': '放弃认领',
      'task.assigned': '分派任务',
      'evidence.uploaded': '上传举证材料',
      'military_report.completed': '确认已通过机要渠道报送',
    },
    event: {
      opened: '任务下达',
      completed: '办结',
      cancelled: '撤销',
      expired: '超期移交',
      overdue: '逾期',
      escalated: '逾期，已报上级',
      sent_back: '退回',
      passed: '通过',
      declined: '不予修正',
      requested: '申请',
      approved: '批准',
      rejected: '驳回',
    },
    compose: '%{subject}：%{event}',
    system: '系统',
    empty: '暂无记录',
    to: '给 %{name}',
    due: '截止 %{at}',
  },
};

export const en: typeof zh = {
  audit: {
    action: {
      'patch.issued': 'Patch issued',
      'deadlines.recomputed': 'Deadlines recomputed under new rules',
      'task.claimed': 'Task claimed',
      'task.unclaimed': 'Task released',
      'task.assigned': 'Task assigned',
      'evidence.uploaded': 'Evidence uploaded',
      'military_report.completed': 'Confirmed reported through the classified channel',
    },
    event: {
      opened: 'opened',
      completed: 'completed',
      cancelled: 'cancelled',
      expired: 'expired (handed over)',
      overdue: 'overdue',
      escalated: 'overdue, escalated',
      sent_back: 'sent back',
      passed: 'passed',
      declined: 'declined',
      requested: 'requested',
      approved: 'approved',
      rejected: 'rejected',
    },
    compose: '%{subject}: %{event}',
    system: 'System',
    empty: 'No entries yet',
    to: 'to %{name}',
    due: 'due %{at}',
  },
};
