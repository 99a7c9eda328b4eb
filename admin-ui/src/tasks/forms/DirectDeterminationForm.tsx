/** 直接认定: the higher level determines itself (marked as a direct determination), with an optional reason. */
import { DeterminationInputs } from './DeterminationInputs';
import { ReasonInput } from './ReasonInput';
import type { TaskFormProps } from './types';

export function DirectDeterminationForm({ patchCode }: TaskFormProps) {
  return (
    <>
      <DeterminationInputs patchCode={patchCode} />
      <ReasonInput optional />
    </>
  );
}
