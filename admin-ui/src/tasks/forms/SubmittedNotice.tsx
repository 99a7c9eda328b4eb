/**
 * The notice after a submission: what happens next, from the completion's answer (the workflow's snapshot
 * and the tasks it opened, with their regions' names): "已提交，待银川市内业审核", "已提交，待兴庆区修正后重新上报",
 * or where the patch went when no task is open (办结, 立案查处, 周期复核).
 */
import { Fragment } from 'react';
import { useTranslate } from 'react-admin';
import { UserText } from '../../common/UserText';
import { Interpolated } from '../../i18n/Interpolated';

export interface CompletionAnswer {
  stage?: string;
  next?: Array<{ taskId: string; type: string; regionCode: string; regionName: string; dueAt: string }>;
}

/** Where the subject is when nothing is open at once. */
const SETTLED = ['closed', 'case', 'recheck', 'military_offline'];

export function SubmittedNotice({ answer }: { answer?: CompletionAnswer | null }) {
  const translate = useTranslate();
  const next = answer?.next ?? [];
  if (next.length === 0) {
    const stage = answer?.stage && SETTLED.includes(answer.stage) ? answer.stage : undefined;
    return <span data-testid="submitted-notice">{translate(stage ? `task.submitted.stage.${stage}` : 'task.completed')}</span>;
  }
  const steps = next.map((t, i) => {
    const known = translate(`task.submitted.step.${t.type}`, { _: '' });
    return (
      <Fragment key={t.taskId}>
        {i > 0 ? translate('app.sep.list') : ''}
        <Interpolated
          k={known ? `task.submitted.step.${t.type}` : 'task.submitted.step.other'}
          values={{ region: <UserText>{t.regionName}</UserText> }}
          options={{ type: translate(`enums.taskType.${t.type}`, { _: t.type }) }}
        />
      </Fragment>
    );
  });
  return (
    <span data-testid="submitted-notice">
      <Interpolated k="task.submitted.next" values={{ steps: <>{steps}</> }} />
    </span>
  );
}
