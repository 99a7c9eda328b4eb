/**
 * 处罚决定 with the "six musts" (六个该, 002): fine (and whether collected), confiscation, demolition,
 * re-cultivation or re-greening, discipline referral, criminal referral; the departments the case is
 * handed to; and the rectification path, which must agree with the measures.
 */
import { Alert, Box, Typography } from '@mui/material';
import { BooleanInput, CheckboxGroupInput, DateInput, NumberInput, RadioButtonGroupInput, required, TextInput, useTranslate } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { DEPARTMENTS, RECTIFICATION_PATHS } from '../../../../domain/types';
import type { TaskFormProps } from './types';

const pathChoices = RECTIFICATION_PATHS.map((id) => ({ id, name: `enums.rectificationPath.${id}` }));
const departmentChoices = DEPARTMENTS.map((id) => ({ id, name: `enums.department.${id}` }));

export function CaseDecisionForm(_: TaskFormProps) {
  const translate = useTranslate();
  const collected = useWatch({ name: 'fine.collected' });
  const confiscation = useWatch({ name: 'confiscation' });
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 }}>
        <TextInput source="documentNumber" label="form.caseDecision.documentNumber" validate={required()} />
        <DateInput source="decidedOn" label="form.caseDecision.decidedOn" validate={required()} />
      </Box>
      <Box sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1, mb: 2 }} data-testid="six-musts">
        <Typography variant="subtitle2">{translate('form.caseDecision.sixMusts')}</Typography>
        <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 1 }}>
          {translate('form.caseDecision.sixMustsHint')}
        </Typography>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2, alignItems: 'center' }}>
          <NumberInput source="fine.amountYuan" label="form.caseDecision.fineYuan" min={0} step={100} />
          <BooleanInput source="fine.collected" label="form.caseDecision.collected" />
          {collected && <NumberInput source="fine.collectedYuan" label="form.caseDecision.collectedYuan" min={0} step={100} validate={required()} />}
        </Box>
        <BooleanInput source="confiscation" label="form.caseDecision.confiscation" />
        {confiscation && <TextInput source="confiscationNote" label="form.caseDecision.confiscationNote" fullWidth />}
        <BooleanInput source="demolition" label="form.caseDecision.demolition" />
        <BooleanInput source="recultivation" label="form.caseDecision.recultivation" />
        <BooleanInput source="disciplineReferral" label="form.caseDecision.disciplineReferral" />
        <BooleanInput source="criminalReferral" label="form.caseDecision.criminalReferral" />
      </Box>
      <CheckboxGroupInput
        source="departments"
        label="form.caseDecision.departments"
        choices={departmentChoices}
        helperText="form.caseDecision.departmentsHint"
      />
      <RadioButtonGroupInput source="path" label="form.caseDecision.path" choices={pathChoices} validate={required()} row />
      <Alert severity="info" sx={{ mt: 1 }}>
        {translate('form.caseDecision.transfersHint')}
      </Alert>
    </>
  );
}
