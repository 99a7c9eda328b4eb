/** 延期审批: approve a written extension request with a new due date, or reject it with a reason. */
import { DateInput, required } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { DecisionInput } from './DecisionInput';
import { ReasonInput } from './ReasonInput';
import type { TaskFormProps } from './types';

const choices = [
  { id: 'approve', name: 'form.extension.approve' },
  { id: 'reject', name: 'form.extension.reject' },
];

export function ExtensionDecisionForm(_: TaskFormProps) {
  const decision = useWatch({ name: 'decision' });
  return (
    <>
      <DecisionInput choices={choices} />
      {decision === 'reject' ? (
        <ReasonInput />
      ) : (
        <>
          <DateInput source="newDueDate" label="form.extension.newDueDate" validate={required()} />
          <ReasonInput optional />
        </>
      )}
    </>
  );
}
