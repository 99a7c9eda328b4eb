/** 整改方案: the responsible person, the measures and the date by which it is done. */
import { Box } from '@mui/material';
import { DateInput, required, TextInput } from 'react-admin';
import type { TaskFormProps } from './types';

export function RectificationPlanForm(_: TaskFormProps) {
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 }}>
        <TextInput source="responsiblePerson" label="form.rectificationPlan.responsiblePerson" validate={required()} />
        <DateInput source="plannedBy" label="form.rectificationPlan.plannedBy" validate={required()} />
      </Box>
      <TextInput source="measures" label="form.rectificationPlan.measures" validate={required()} multiline minRows={3} fullWidth />
    </>
  );
}
