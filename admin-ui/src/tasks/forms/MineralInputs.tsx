/**
 * 用矿情况 (一图两用、地矿同核, 000 二(一); 004 三(二)): the mineral part of a determination, beside the land part —
 * mining present, licensed (and the licence number), 违法采矿 / 越界开采 / none. Required for a mineral patch; the
 * consistency rules are domain/mineral.ts's, checked here as on the server.
 */
import { Box, Typography } from '@mui/material';
import { RadioButtonGroupInput, TextInput, useTranslate } from 'react-admin';
import { get, useWatch } from 'react-hook-form';
import { MINERAL_FINDINGS } from '../../../../domain/mineral';
import type { DeterminationValues } from './payloads';

const yesNo = [
  { id: 'yes', name: 'form.yes' },
  { id: 'no', name: 'form.no' },
];
const findingChoices = MINERAL_FINDINGS.map((id) => ({ id, name: `form.determination.mineral.finding.${id}` }));

export function MineralInputs({ prefix, required }: { prefix: string; required: boolean }) {
  const translate = useTranslate();
  const mineral = (useWatch({ name: `${prefix}.mineral` }) ?? {}) as NonNullable<DeterminationValues['mineral']>;
  const of = (all: Record<string, unknown>) => (get(all, `${prefix}.mineral`) ?? {}) as NonNullable<DeterminationValues['mineral']>;
  const presentRequired = (value: unknown) => (required && value !== 'yes' && value !== 'no' ? 'form.errors.mineralRequired' : undefined);
  const licensedRequired = (value: unknown, all: Record<string, unknown>) =>
    of(all).present === 'yes' && value !== 'yes' && value !== 'no' ? 'form.errors.mineralLicensed' : undefined;
  const findingConsistent = (value: unknown, all: Record<string, unknown>) => {
    const m = of(all);
    if (m.present !== 'yes') return undefined;
    if (!value) return 'form.errors.mineralFinding';
    if (m.licensed === 'no' && value !== 'illegal_mining') return 'form.errors.mineralUnlicensed';
    if (m.licensed === 'yes' && value === 'illegal_mining') return 'form.errors.mineralLicensedFinding';
    return undefined;
  };
  return (
    <Box sx={{ p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1 }} data-testid="mineral-part">
      <Typography variant="subtitle2">{translate('form.determination.mineral.title')}</Typography>
      <Typography variant="caption" color="text.secondary">
        {translate(required ? 'form.determination.mineral.required' : 'form.determination.mineral.hint')}
      </Typography>
      <RadioButtonGroupInput source={`${prefix}.mineral.present`} label="form.determination.mineral.present" choices={yesNo} row validate={presentRequired} />
      {mineral.present === 'yes' && (
        <>
          <RadioButtonGroupInput
            source={`${prefix}.mineral.licensed`}
            label="form.determination.mineral.licensed"
            choices={yesNo}
            row
            validate={licensedRequired}
          />
          {mineral.licensed === 'yes' && <TextInput source={`${prefix}.mineral.licenseNumber`} label="form.determination.mineral.licenseNumber" />}
          <RadioButtonGroupInput
            source={`${prefix}.mineral.finding`}
            label="form.determination.mineral.findingLabel"
            choices={findingChoices}
            row
            validate={findingConsistent}
          />
        </>
      )}
    </Box>
  );
}
