/**
 * A notification's title and details in the UI's language. The API stores notices as Chinese sentences
 * (title, body) with their kind, patch and task; in Chinese those are shown as stored, otherwise the text
 * is written here from the kind and the task (its type, case, due date and region, fetched by id). A
 * reminder's body carries the supervisor's own words and name (user content), taken from the stored
 * body's known shape: "<message>；截止时间 <date>；督办人 <name>".
 */
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { UserText } from '../common/UserText';
import { formatDate, formatDateTime } from '../format';
import { Interpolated } from '../i18n/Interpolated';
import type { TaskRecord } from '../tasks/types';

export interface Notice {
  id: number;
  kind: string;
  title: string;
  body?: string | null;
  taskId?: string | null;
  patchCode?: string | null;
  createdAt: string;
  readAt?: string | null;
}

const DAY = 86_400_000;

/** The supervisor's message and name in a reminder's stored body. */
export function reminderParts(body: string | null | undefined): { message?: string; by?: string } {
  const m = /^(?:([\s\S]*)；)?截止时间 [^；]*；督办人 ([\s\S]*)$/.exec(body ?? '');
  return m ? { message: m[1] || undefined, by: m[2] || undefined } : {};
}

export function useNoticeText(n: Notice, task: TaskRecord | undefined, chinese: boolean): { primary: ReactNode; secondary: ReactNode } {
  const translate = useTranslate();
  const kind = translate(`notifications.kind.${n.kind}`, { _: n.kind });
  const when = formatDateTime(n.createdAt);
  if (chinese) return { primary: n.title, secondary: `${kind} · ${when}${n.body ? ` · ${n.body}` : ''}` };

  const subjectCode = task?.caseNo ?? n.patchCode ?? '';
  const subject = <Interpolated k={task?.caseNo ? 'notifications.subject.case' : 'notifications.subject.patch'} values={{ code: subjectCode }} />;
  const type = task ? translate(`enums.taskType.${task.type}`) : '';
  const due = task?.dueAt ? formatDate(task.dueAt) : undefined;
  const details: ReactNode[] = [kind, when];
  let primary: ReactNode;
  switch (task ? n.kind : 'unknown') {
    case 'reminder': {
      const days = task?.dueAt ? Math.max(0, Math.floor((Date.parse(n.createdAt) - Date.parse(task.dueAt)) / DAY)) : 0;
      primary = (
        <Interpolated k={task?.overdue || days > 0 ? 'notifications.text.reminderOverdue' : 'notifications.text.reminder'} values={{ type, subject, days }} />
      );
      const { message, by } = reminderParts(n.body);
      if (message) details.push(<UserText key="m">{message}</UserText>);
      if (due) details.push(translate('notifications.text.due', { date: due }));
      if (by) details.push(<Interpolated key="by" k="notifications.text.by" values={{ name: <UserText>{by}</UserText> }} />);
      break;
    }
    case 'overdue':
      primary = <Interpolated k="notifications.text.overdue" values={{ type, subject }} />;
      if (due) details.push(translate('notifications.text.due', { date: due }));
      break;
    case 'escalation':
      primary = <Interpolated k="notifications.text.escalation" values={{ type, subject }} />;
      if (task?.regionName) details.push(<UserText key="r">{task.regionName}</UserText>);
      if (due) details.push(translate('notifications.text.due', { date: due }));
      break;
    default:
      primary = (
        <>
          {kind}
          {subjectCode ? <> · {subject}</> : null}
        </>
      );
  }
  return {
    primary,
    secondary: details.map((d, i) => (
      <span key={i}>
        {i > 0 ? ' · ' : ''}
        {d}
      </span>
    )),
  };
}
