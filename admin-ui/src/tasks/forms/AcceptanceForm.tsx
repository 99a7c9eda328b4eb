/**
 * The three re-cultivation acceptances: the county's preliminary acceptance, the city's (which issues the
 * certificate of completed demolition and re-cultivation), and the province's confirmation (which
 * unfreezes the quota). Each level can send the case back to rectification with a reason.
 */
import { TextInput, required } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { DecisionInput } from './DecisionInput';
import { ReasonInput } from './ReasonInput';
import type { TaskFormProps } from './types';

const passChoices = (pass: 'pass' | 'confirm') => [
  { id: pass, name: `form.acceptance.${pass}` },
  { id: 'reject', name: 'form.acceptance.reject' },
];

function Acceptance({ pass, certificate = false }: { pass: 'pass' | 'confirm'; certificate?: boolean }) {
  const decision = useWatch({ name: 'decision' });
  return (
    <>
      <DecisionInput choices={passChoices(pass)} />
      {decision === 'reject' ? (
        <ReasonInput label="form.acceptance.reason" />
      ) : (
        <>
          {certificate && <TextInput source="certificateNo" label="form.acceptance.certificateNo" validate={required()} fullWidth />}
          <TextInput source="notes" label="form.notes" multiline minRows={2} fullWidth />
        </>
      )}
    </>
  );
}

export const AcceptanceCountyForm = (_: TaskFormProps) => <Acceptance pass="pass" />;
export const AcceptanceCityForm = (_: TaskFormProps) => <Acceptance pass="pass" certificate />;
export const AcceptanceProvinceForm = (_: TaskFormProps) => <Acceptance pass="confirm" />;
