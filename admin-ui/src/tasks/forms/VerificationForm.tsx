/** 核查填报: the county's determination with evidence. */
import { DeterminationInputs } from './DeterminationInputs';
import type { TaskFormProps } from './types';

export function VerificationForm({ patchCode }: TaskFormProps) {
  return <DeterminationInputs patchCode={patchCode} />;
}
