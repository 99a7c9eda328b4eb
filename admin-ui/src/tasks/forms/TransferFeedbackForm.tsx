/** 移送反馈: when the receiving organ or department reported back, what it did, and its document. */
import { Box } from '@mui/material';
import { DateInput, required, TextInput } from 'react-admin';
import type { TaskFormProps } from './types';

export function TransferFeedbackForm(_: TaskFormProps) {
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 }}>
        <DateInput source="receivedOn" label="form.transferFeedback.receivedOn" validate={required()} />
        <TextInput source="documentNumber" label="form.transferFeedback.documentNumber" />
      </Box>
      <TextInput source="result" label="form.transferFeedback.result" validate={required()} multiline minRows={2} fullWidth />
    </>
  );
}
