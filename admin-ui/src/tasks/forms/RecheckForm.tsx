/** 周期复核: unchanged, rebuilt or use changed (the latter two reopen a case and need a description), with evidence. */
import { RadioButtonGroupInput, required, TextInput, minLength } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { EvidenceInput } from '../../evidence/EvidenceInput';
import type { TaskFormProps } from './types';

const findings = ['unchanged', 'rebuilt', 'changed_use'].map((id) => ({ id, name: `form.recheck.${id}` }));

export function RecheckForm({ task, patchCode }: TaskFormProps) {
  const finding = useWatch({ name: 'finding' });
  const changed = finding === 'rebuilt' || finding === 'changed_use';
  return (
    <>
      <RadioButtonGroupInput source="finding" label="form.recheck.finding" choices={findings} validate={required()} row />
      <EvidenceInput source="evidence" patchCode={patchCode} label="form.recheck.evidence" since={task.openedAt} />
      <TextInput
        source="notes"
        label={changed ? 'form.recheck.changedNotes' : 'form.notes'}
        validate={changed ? [required(), minLength(2)] : undefined}
        multiline
        minRows={2}
        fullWidth
      />
    </>
  );
}
