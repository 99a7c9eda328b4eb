/**
 * 上级实地核查: of a patch, confirm the determination or overturn it with a new determination and a reason;
 * of a case's rectification result (图斑及其整改结果, 000 二(五); 003 四(一)), confirm it or reject it with a reason.
 */
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

const rectificationChoices = [
  { id: 'confirm', name: 'form.onsite.rectificationConfirm' },
  { id: 'reject', name: 'form.onsite.rectificationReject' },
];

export function OnsiteCheckForm({ task, patchCode }: TaskFormProps) {
  const decision = useWatch({ name: 'decision' });
  if (task.context?.checks === 'rectification') {
    return (
      <>
        <DecisionInput choices={rectificationChoices} />
        {decision === 'reject' ? <ReasonInput /> : <TextInput source="notes" label="form.notes" multiline minRows={2} fullWidth />}
      </>
    );
  }
  return (
    <>
      <DecisionInput choices={choices} />
      {decision === 'overturn' ? (
        <>
          <DeterminationInputs
            patchCode={patchCode}
            rules={task.context?.rules as DeterminationRulesValue | undefined}
            category={task.category}
            since={task.openedAt}
          />
          <ReasonInput />
        </>
      ) : (
        <TextInput source="notes" label="form.notes" multiline minRows={2} fullWidth />
      )}
    </>
  );
}
