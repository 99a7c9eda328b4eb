/**
 * 整改完成: when and how much was rectified, with evidence; the path decided in the case says what else
 * proves it — the approval document when legalising (补办), the confiscation document when confiscating.
 */
import { Box, Typography } from '@mui/material';
import { DateInput, NumberInput, required, SelectInput, TextInput, useTranslate } from 'react-admin';
import { APPROVAL_TYPES } from '../../../../domain/legality';
import { EvidenceInput } from '../../evidence/EvidenceInput';
import type { TaskFormProps } from './types';

const approvalChoices = APPROVAL_TYPES.map((id) => ({ id, name: `enums.approvalType.${id}` }));

export function RectificationForm({ task, patchCode }: TaskFormProps) {
  const translate = useTranslate();
  const path = task.context?.path as string | undefined;
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 }}>
        <DateInput source="completedOn" label="form.rectification.completedOn" validate={required()} />
        <NumberInput source="rectifiedMu" label="form.rectification.rectifiedMu" min={0} step={0.01} validate={required()} />
        {/* Farmland and non-farmland unfreeze from different accounts: a partial rectification says which part is farmland. */}
        <NumberInput source="rectifiedFarmlandMu" label="form.rectification.rectifiedFarmlandMu" min={0} step={0.01} />
      </Box>
      {path === 'legalise' && (
        <Box sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1, mb: 1 }} data-testid="rectification-approval">
          <Typography variant="subtitle2">{translate('form.rectification.approval')}</Typography>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr 1fr' }, columnGap: 2 }}>
            <SelectInput source="approval.type" label="form.determination.approvalType" choices={approvalChoices} validate={required()} />
            <TextInput source="approval.documentNumber" label="form.determination.documentNumber" validate={required()} />
            <DateInput source="approval.date" label="form.determination.approvalDate" validate={required()} />
          </Box>
        </Box>
      )}
      {path === 'confiscate' && <TextInput source="confiscationDocument" label="form.rectification.confiscationDocument" validate={required()} fullWidth />}
      <EvidenceInput source="evidence" patchCode={patchCode} label="form.rectification.evidence" since={task.openedAt} />
      <TextInput source="notes" label="form.notes" multiline minRows={2} fullWidth />
    </>
  );
}
