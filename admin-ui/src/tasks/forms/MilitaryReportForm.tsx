/** 军用土地机要上报: only the confirmation that it went through the classified offline channel (000, 002, 004). */
import { Alert } from '@mui/material';
import { BooleanInput, TextInput, useTranslate } from 'react-admin';
import type { TaskFormProps } from './types';

const mustConfirm = (value: unknown) => (value === true ? undefined : 'form.errors.mustConfirm');

export function MilitaryReportForm(_: TaskFormProps) {
  const translate = useTranslate();
  return (
    <>
      <Alert severity="warning" sx={{ mb: 2 }}>
        {translate('form.military.notice')}
      </Alert>
      <BooleanInput source="reportedOffline" label="form.military.reportedOffline" validate={mustConfirm} />
      <TextInput source="reference" label="form.military.reference" />
    </>
  );
}
