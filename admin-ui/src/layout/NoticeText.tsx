/**
 * A notification's title and details in the UI's language. Every notice carries its facts (`params`:
 * task type, patch or case, due day, days overdue, the supervisor's words and name, a send-back's reason, …; see
 * domain/notifications.ts) and the server's Chinese text (title, body) written from them. In Chinese the
 * stored text is shown; otherwise the text is written here from the kind and the params, the
 * supervisor's words, names and codes marked as user content. A notice written before params were stored
 * shows its kind and subject.
 */
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import type { NoticeParams } from '../../../domain/notifications';
import { UserText } from '../common/UserText';
import { formatDate, formatDateTime } from '../format';
import { Interpolated } from '../i18n/Interpolated';

export interface Notice {
  id: number;
  kind: string;
  title: string;
  body?: string | null;
  params?: NoticeParams | null;
  taskId?: string | null;
  patchCode?: string | null;
  createdAt: string;
  readAt?: string | null;
}

export function useNoticeText(n: Notice, chinese: boolean): { primary: ReactNode; secondary: ReactNode } {
  const translate = useTranslate();
  const kind = translate(`notifications.kind.${n.kind}`, { _: n.kind });
  const when = formatDateTime(n.createdAt);
  if (chinese) return { primary: n.title, secondary: `${kind} · ${when}${n.body ? ` · ${n.body}` : ''}` };

  const p = n.params;
  const subjectCode = p?.caseNo ?? p?.patchCode ?? n.patchCode ?? '';
  const subject = (
    <Interpolated k={p?.caseNo ? 'notifications.subject.case' : 'notifications.subject.patch'} values={{ code: <UserText>{subjectCode}</UserText> }} />
  );
  const type = p ? translate(`enums.taskType.${p.taskType}`, { _: p.taskType }) : '';
  const due = p?.dueOn ? translate('notifications.text.due', { date: formatDate(p.dueOn) }) : undefined;
  const details: ReactNode[] = [kind, when];
  let primary: ReactNode;
  switch (p ? n.kind : 'unknown') {
    case 'reminder':
      if (p?.round !== undefined) {
        primary = <Interpolated k="notifications.text.followUp" values={{ type, subject }} options={{ round: p.round }} />;
        if (due) details.push(due);
        details.push(translate('notifications.text.followUpDetail'));
        break;
      }
      primary = p?.overdue ? (
        <Interpolated k="notifications.text.reminderOverdue" values={{ type, subject }} options={{ smart_count: p.daysOverdue ?? 0 }} />
      ) : (
        <Interpolated k="notifications.text.reminder" values={{ type, subject }} />
      );
      if (p?.message) details.push(<UserText key="m">{p.message}</UserText>);
      if (due) details.push(due);
      if (p?.by) details.push(<Interpolated key="by" k="notifications.text.by" values={{ name: <UserText>{p.by}</UserText> }} />);
      break;
    case 'overdue':
      primary = <Interpolated k="notifications.text.overdue" values={{ type, subject }} />;
      if (due) details.push(due);
      break;
    case 'escalation':
      primary = <Interpolated k="notifications.text.escalation" values={{ type, subject }} />;
      if (p?.regionName || p?.regionCode) {
        details.push(<Interpolated key="r" k="notifications.text.region" values={{ region: <UserText>{p.regionName ?? p.regionCode}</UserText> }} />);
      }
      if (due) details.push(due);
      break;
    case 'sent_back':
    case 'resubmitted': {
      const sentBack = n.kind === 'sent_back';
      primary = (
        <Interpolated
          k={sentBack ? 'notifications.text.sentBack' : 'notifications.text.resubmitted'}
          values={{ subject, region: <UserText>{p?.regionName ?? p?.regionCode}</UserText> }}
        />
      );
      if (sentBack && p?.reason) details.push(<Interpolated key="why" k="notifications.text.reason" values={{ reason: <UserText>{p.reason}</UserText> }} />);
      if (p?.by)
        details.push(
          <Interpolated
            key="by"
            k={sentBack ? 'notifications.text.sentBackBy' : 'notifications.text.resubmittedBy'}
            values={{ name: <UserText>{p.by}</UserText> }}
          />,
        );
      if (due) details.push(due);
      break;
    }
    case 'rectification_rejected':
      primary = (
        <Interpolated k="notifications.text.rectificationRejected" values={{ subject, region: <UserText>{p?.regionName ?? p?.regionCode}</UserText> }} />
      );
      if (p?.reason) details.push(<Interpolated key="why" k="notifications.text.reason" values={{ reason: <UserText>{p.reason}</UserText> }} />);
      if (due) details.push(due);
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
