/** 退回修正: submit a corrected determination, or decline with a reason (which hands over to direct determination). */
import { useWatch } from 'react-hook-form';
import { DecisionInput } from './DecisionInput';
import { DeterminationInputs } from './DeterminationInputs';
import { ReasonInput } from './ReasonInput';
import type { DeterminationRulesValue } from './payloads';
import type { TaskFormProps } from './types';

const choices = [
  { id: 'submit', name: 'form.correction.submit' },
  { id: 'decline', name: 'form.correction.decline' },
];

export function CorrectionForm({ task, patchCode }: TaskFormProps) {
  const decision = useWatch({ name: 'decision' });
  return (
    <>
      <DecisionInput choices={choices} />
      {decision === 'decline' ? (
        <ReasonInput />
      ) : (
        <DeterminationInputs
          patchCode={patchCode}
          rules={task.context?.rules as DeterminationRulesValue | undefined}
          category={task.category}
          countyFiling
          since={task.openedAt}
          measured
        />
      )}
    </>
  );
}
