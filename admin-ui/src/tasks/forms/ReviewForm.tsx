/** 内业审核: pass, or send back for correction with a reason. The determination under review is shown above the form. */
import { useWatch } from 'react-hook-form';
import { DecisionInput } from './DecisionInput';
import { ReasonInput } from './ReasonInput';
import type { TaskFormProps } from './types';

const choices = [
  { id: 'pass', name: 'form.review.pass' },
  { id: 'send_back', name: 'form.review.send_back' },
];

export function ReviewForm(_: TaskFormProps) {
  const decision = useWatch({ name: 'decision' });
  return (
    <>
      <DecisionInput choices={choices} />
      {decision === 'send_back' && <ReasonInput label="form.review.sendBackReason" />}
    </>
  );
}
