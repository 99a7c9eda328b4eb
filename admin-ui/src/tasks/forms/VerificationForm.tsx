/** 核查填报: the county's determination with evidence. */
import { DeterminationInputs } from './DeterminationInputs';
import type { DeterminationRulesValue } from './payloads';
import type { TaskFormProps } from './types';

export function VerificationForm({ task, patchCode }: TaskFormProps) {
  return (
    <DeterminationInputs
      patchCode={patchCode}
      rules={task.context?.rules as DeterminationRulesValue | undefined}
      category={task.category}
      countyFiling
      since={task.openedAt}
      measured
    />
  );
}
