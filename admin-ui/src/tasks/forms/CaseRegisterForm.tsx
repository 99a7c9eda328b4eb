/**
 * 立案: the party, the site, the facts and the legal basis; other illegal patches of the same party and
 * site can be linked — offered from the county's cases still waiting for registration.
 */
import { Box, Typography } from '@mui/material';
import { AutocompleteArrayInput, RadioButtonGroupInput, required, TextInput, useGetList, useTranslate } from 'react-admin';
import type { TaskFormProps } from './types';

const text = [required()];
const kinds = [
  { id: 'organisation', name: 'enums.partyKind.organisation' },
  { id: 'person', name: 'enums.partyKind.person' },
];

interface CaseRow {
  id: string;
  caseNo: string;
  primaryPatchCode?: string | null;
  illegalMu?: number | null;
}

/** Patches of the county whose own case is still unregistered (merging them closes their case). */
function LinkPatchesInput({ regionCode, caseNo }: { regionCode: string; caseNo?: string | null }) {
  const translate = useTranslate();
  const { data } = useGetList<CaseRow>('cases', {
    filter: { status: 'register', regionCode },
    pagination: { page: 1, perPage: 200 },
    sort: { field: 'openedAt', order: 'ASC' },
  });
  const choices = (data ?? [])
    .filter((c) => c.caseNo !== caseNo && c.primaryPatchCode)
    .map((c) => ({ id: c.primaryPatchCode!, name: translate('form.caseRegister.linkChoice', { code: c.primaryPatchCode, caseNo: c.caseNo }) }));
  return (
    <Box>
      <AutocompleteArrayInput
        source="linkPatchCodes"
        label="form.caseRegister.linkPatchCodes"
        choices={choices}
        helperText={choices.length ? 'form.caseRegister.linkHint' : 'form.caseRegister.noLinkable'}
        fullWidth
      />
    </Box>
  );
}

export function CaseRegisterForm({ task }: TaskFormProps) {
  const translate = useTranslate();
  return (
    <>
      <Typography variant="subtitle2">{translate('form.caseRegister.party')}</Typography>
      <RadioButtonGroupInput source="party.kind" label="form.caseRegister.partyKind" choices={kinds} validate={required()} row />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 2 }}>
        <TextInput source="party.name" label="form.caseRegister.partyName" validate={text} />
        <TextInput source="party.idNumber" label="form.caseRegister.idNumber" />
        <TextInput source="party.contact" label="form.caseRegister.contact" />
      </Box>
      <TextInput source="site" label="form.caseRegister.site" validate={text} fullWidth />
      <TextInput source="facts" label="form.caseRegister.facts" validate={text} multiline minRows={3} fullWidth />
      <TextInput source="legalBasis" label="form.caseRegister.legalBasis" fullWidth />
      <LinkPatchesInput regionCode={task.regionCode} caseNo={task.caseNo} />
    </>
  );
}
