/** 整改方案: the responsible person, the measures and the date by which it is done. */
import { Box } from '@mui/material';
import { DateInput, maxValue, required, TextInput, useTranslate } from 'react-admin';
import type { TaskFormProps } from './types';

export function RectificationPlanForm({ task }: TaskFormProps) {
  const translate = useTranslate();
  // The region's rectification cut-off: the plan's deadline may not be later.
  const latest = typeof task.context?.rectificationDueBy === 'string' ? task.context.rectificationDueBy : undefined;
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 }}>
        <TextInput source="responsiblePerson" label="form.rectificationPlan.responsiblePerson" validate={required()} />
        <DateInput
          source="plannedBy"
          label="form.rectificationPlan.plannedBy"
          validate={latest ? [required(), maxValue(latest, translate('form.rectificationPlan.notAfter', { date: latest }))] : required()}
          helperText={latest ? translate('form.rectificationPlan.notAfter', { date: latest }) : undefined}
        />
      </Box>
      <TextInput source="measures" label="form.rectificationPlan.measures" validate={required()} multiline minRows={3} fullWidth />
    </>
  );
}
