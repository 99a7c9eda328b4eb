/** 直接认定: the higher level determines itself (marked as a direct determination), with an optional reason. */
import { DeterminationInputs } from './DeterminationInputs';
import { ReasonInput } from './ReasonInput';
import type { DeterminationRulesValue } from './payloads';
import type { TaskFormProps } from './types';

export function DirectDeterminationForm({ task, patchCode }: TaskFormProps) {
  return (
    <>
      <DeterminationInputs
        patchCode={patchCode}
        rules={task.context?.rules as DeterminationRulesValue | undefined}
        category={task.category}
        since={task.openedAt}
        measured
      />
      <ReasonInput optional />
    </>
  );
}
