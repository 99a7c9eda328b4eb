/**
 * The determination (合法性判定) fields shared by verification, correction, direct determination and
 * on-site overturn: legality and its sub-type, approvals when legal, areas in mu, the farmland
 * questions when illegal on farmland, evidence and notes. Field names follow the payload.
 */
import { Alert, Box, FormHelperText, Stack, Typography } from '@mui/material';
import { useEffect } from 'react';
import {
  ArrayInput,
  BooleanInput,
  DateInput,
  NumberInput,
  RadioButtonGroupInput,
  required,
  SelectInput,
  SimpleFormIterator,
  TextInput,
  useTranslate,
} from 'react-admin';
import { get, useFormContext, useFormState, useWatch } from 'react-hook-form';
import { APPROVAL_TYPES } from '../../../../domain/legality';
import { FARMLAND_FLAGS, type FarmlandFlag } from '../../../../domain/policy';
import { LEGALITIES, type Legality } from '../../../../domain/types';
import { EvidenceInput } from '../../evidence/EvidenceInput';
import { asksFarmlandFlags, needsNewStructures, subTypesOf, type DeterminationRulesValue, type DeterminationValues } from './payloads';

const legalityChoices = LEGALITIES.map((id) => ({ id, name: `enums.legality.${id}` }));
const approvalChoices = APPROVAL_TYPES.map((id) => ({ id, name: `enums.approvalType.${id}` }));
const yesNo = [
  { id: 'yes', name: 'form.yes' },
  { id: 'no', name: 'form.no' },
];

/**
 * `rules` are the region's rules the task carries (which farmland questions it asks, which categories may
 * not be "other"); `category` is the patch's. Without rules every question is shown.
 */
export function DeterminationInputs({
  prefix = 'determination',
  patchCode,
  rules,
  category,
}: {
  prefix?: string;
  patchCode: string;
  rules?: DeterminationRulesValue;
  category?: string | null;
}) {
  const translate = useTranslate();
  const { setValue, getValues } = useFormContext();
  const values = (useWatch({ name: prefix }) ?? {}) as DeterminationValues;
  const legality = values.legality as Legality | null | undefined;
  const subTypes = subTypesOf(legality);
  const flags: readonly FarmlandFlag[] = rules?.farmlandFlags ?? FARMLAND_FLAGS;
  const otherForbidden = Boolean(category && rules?.forbidOtherFor?.includes(category));

  // A sub-type belongs to one legality class: changing the class clears a sub-type of another.
  useEffect(() => {
    const current = getValues(`${prefix}.subType`) as string | null;
    if (current && !subTypes.includes(current)) setValue(`${prefix}.subType`, null);
  }, [legality, prefix, subTypes, getValues, setValue]);

  return (
    <Stack spacing={1}>
      <RadioButtonGroupInput source={`${prefix}.legality`} label="form.determination.legality" choices={legalityChoices} validate={required()} row />
      {otherForbidden && (
        <Alert severity={legality === 'other' ? 'warning' : 'info'} data-testid="other-forbidden">
          {translate('form.determination.otherForbidden', { category: translate(`enums.category.${category}`) })}
        </Alert>
      )}
      <SelectInput
        source={`${prefix}.subType`}
        label="form.determination.subType"
        choices={subTypes.map((id) => ({ id, name: `enums.subType.${id}` }))}
        validate={required()}
        disabled={!legality}
        emptyText=""
      />
      {legality === 'legal' && (
        <ArrayInput source={`${prefix}.approvals`} label="form.determination.approvals">
          <SimpleFormIterator inline disableReordering>
            <SelectInput source="type" label="form.determination.approvalType" choices={approvalChoices} validate={required()} />
            <TextInput source="documentNumber" label="form.determination.documentNumber" validate={required()} />
            <DateInput source="date" label="form.determination.approvalDate" validate={required()} />
          </SimpleFormIterator>
        </ArrayInput>
      )}
      <AreasInputs prefix={prefix} />
      {(legality === 'legal' || legality === 'illegal') && (
        // 国家和省级交通能源水利等重大基础设施项目违法用地 leaves the accountability ratio (002 五(二)).
        <BooleanInput
          source={`${prefix}.majorInfrastructure`}
          label="statistics.majorInfrastructureInput"
          helperText="statistics.majorInfrastructureHint"
          data-testid="major-infrastructure"
        />
      )}
      {(legality === 'illegal' || needsNewStructures(values, rules, category)) && (
        // 新增建（构）筑物 (000 二(五)): required where it decides a higher level's on-site check.
        <Box data-testid="new-structures">
          <RadioButtonGroupInput
            source={`${prefix}.newStructures`}
            label="form.determination.newStructures"
            helperText={needsNewStructures(values, rules, category) ? 'form.determination.newStructuresRequired' : false}
            choices={yesNo}
            row
            validate={newStructuresRequired(prefix, rules, category)}
          />
        </Box>
      )}
      {asksFarmlandFlags(values) && (
        <Box sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }} data-testid="farmland-flags">
          <Typography variant="subtitle2">{translate('form.determination.farmlandFlags')}</Typography>
          <Typography variant="caption" color="text.secondary">
            {translate('form.determination.farmlandFlagsRequired', { n: flags.length })}
          </Typography>
          {flags.map((flag) => (
            <RadioButtonGroupInput
              key={flag}
              source={`${prefix}.farmlandFlags.${flag}`}
              label={`enums.farmlandFlag.${flag}`}
              choices={yesNo}
              row
              validate={rules?.farmlandFlags || flag === 'rural_housing' ? answerRequired(prefix) : undefined}
            />
          ))}
        </Box>
      )}
      <EvidenceInput source={`${prefix}.evidence`} patchCode={patchCode} label="form.determination.evidence" />
      <TextInput source={`${prefix}.notes`} label="form.determination.notes" multiline minRows={2} fullWidth />
    </Stack>
  );
}

/**
 * An illegal patch on farmland answers every question the region asks; without the region's rules in the
 * task, the national one ("new rural housing on farmland", 000, 001) is required and the server checks the rest.
 */
const answerRequired = (prefix: string) => (value: unknown, all: Record<string, unknown>) =>
  asksFarmlandFlags(get(all, prefix) as DeterminationValues) && value !== 'yes' && value !== 'no' ? 'form.errors.ruralHousing' : undefined;

const newStructuresRequired = (prefix: string, rules: DeterminationRulesValue | undefined, category: string | null | undefined) => (value: unknown, all: Record<string, unknown>) =>
  needsNewStructures(get(all, prefix) as DeterminationValues, rules, category) && value !== 'yes' && value !== 'no' ? 'form.errors.newStructures' : undefined;

function AreasInputs({ prefix }: { prefix: string }) {
  const translate = useTranslate();
  const { errors } = useFormState();
  // A rule on the areas as a whole (e.g. "areas_inconsistent") comes back on the group's path.
  const groupError = get(errors, `${prefix}.areas`) as { message?: string } | undefined;
  const ordered = (value: unknown, all: Record<string, unknown>) => {
    const a = (get(all, `${prefix}.areas`) ?? {}) as DeterminationValues['areas'] & object;
    const n = (v: unknown) => (typeof v === 'number' ? v : 0);
    return n(a.farmlandMu) > n(a.totalMu) || n(a.basicFarmlandMu) > n(a.farmlandMu) ? 'form.errors.areasOrder' : undefined;
  };
  return (
    <Box>
      <Typography variant="subtitle2">{translate('form.determination.areas')}</Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' }, columnGap: 1 }}>
        <NumberInput source={`${prefix}.areas.totalMu`} label="form.determination.totalMu" min={0} step={0.01} validate={required()} />
        <NumberInput source={`${prefix}.areas.farmlandMu`} label="form.determination.farmlandMu" min={0} step={0.01} validate={ordered} />
        <NumberInput source={`${prefix}.areas.basicFarmlandMu`} label="form.determination.basicFarmlandMu" min={0} step={0.01} validate={ordered} />
        <NumberInput source={`${prefix}.areas.redLineMu`} label="form.determination.redLineMu" min={0} step={0.01} />
      </Box>
      {groupError?.message && <FormHelperText error>{groupError.message}</FormHelperText>}
    </Box>
  );
}
