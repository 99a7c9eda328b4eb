/** 上级实地核查: confirm the determination, or overturn it with a new determination and a reason. */
import { TextInput } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { DecisionInput } from './DecisionInput';
import { DeterminationInputs } from './DeterminationInputs';
import { ReasonInput } from './ReasonInput';
import type { DeterminationRulesValue } from './payloads';
import type { TaskFormProps } from './types';

const choices = [
  { id: 'confirm', name: 'form.onsite.confirm' },
  { id: 'overturn', name: 'form.onsite.overturn' },
];

export function OnsiteCheckForm({ task, patchCode }: TaskFormProps) {
  const decision = useWatch({ name: 'decision' });
  return (
    <>
      <DecisionInput choices={choices} />
      {decision === 'overturn' ? (
        <>
          <DeterminationInputs patchCode={patchCode} rules={task.context?.rules as DeterminationRulesValue | undefined} category={task.category} since={task.openedAt} />
          <ReasonInput />
        </>
      ) : (
        <TextInput source="notes" label="form.notes" multiline minRows={2} fullWidth />
      )}
    </>
  );
}
