/** 责令停止违法行为: the notice's number and date, and whether the act has stopped. */
import { Box } from '@mui/material';
import { BooleanInput, DateInput, required, TextInput } from 'react-admin';
import type { TaskFormProps } from './types';

export function StopOrderForm(_: TaskFormProps) {
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 }}>
        <TextInput source="documentNumber" label="form.stopOrder.documentNumber" validate={required()} />
        <DateInput source="issuedOn" label="form.stopOrder.issuedOn" validate={required()} />
      </Box>
      <BooleanInput source="stopped" label="form.stopOrder.stopped" />
      <TextInput source="notes" label="form.notes" multiline minRows={2} fullWidth />
    </>
  );
}
