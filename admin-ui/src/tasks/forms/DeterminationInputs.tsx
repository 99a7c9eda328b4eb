/**
 * The determination (合法性判定) fields shared by verification, correction, direct determination and
 * on-site overturn: legality and its sub-type, approvals when legal, areas in mu, the farmland
 * questions when illegal on farmland, evidence and notes. Field names follow the payload.
 */
import AddCircleOutlineIcon from '@mui/icons-material/AddCircleOutlineOutlined';
import { Alert, Box, Button, FormHelperText, Stack, Typography } from '@mui/material';
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
  useSimpleFormIterator,
  useTranslate,
} from 'react-admin';
import { get, useFormContext, useFormState, useWatch } from 'react-hook-form';
import { APPROVAL_TYPES, gpsPhotoCount, requiredGpsPhotos } from '../../../../domain/legality';
import { FARMLAND_FLAGS, type FarmlandFlag } from '../../../../domain/policy';
import { LEGALITIES, type Legality } from '../../../../domain/types';
import { mineralPartRequired } from '../../../../domain/mineral';
import type { BatchKind, PatchCategory } from '../../../../domain/types';
import { EvidenceInput } from '../../evidence/EvidenceInput';
import { MeasurementPanel, OverrideReasonInput, useMeasurement } from './MeasuredAreas';
import { MineralInputs } from './MineralInputs';
import { asksFarmlandFlags, needsNewStructures, subTypesOf, type DeterminationRulesValue, type DeterminationValues } from './payloads';

const legalityChoices = LEGALITIES.map((id) => ({ id, name: `enums.legality.${id}` }));
const approvalChoices = APPROVAL_TYPES.map((id) => ({ id, name: `enums.approvalType.${id}` }));
const yesNo = [
  { id: 'yes', name: 'form.yes' },
  { id: 'no', name: 'form.no' },
];

/** The labelled button that adds an approval document (not a bare ⊕). */
function AddApprovalButton() {
  const translate = useTranslate();
  const { add } = useSimpleFormIterator();
  return (
    <Button size="small" startIcon={<AddCircleOutlineIcon />} onClick={() => add()} data-testid="add-approval">
      {translate('form.determination.addApproval')}
    </Button>
  );
}

/** A legal determination names its approval documents, except 其他合法用地 (as domain/legality.ts checks). */
const approvalsRequired = (prefix: string) => (value: unknown, all: Record<string, unknown>) => {
  const d = (get(all, prefix) ?? {}) as DeterminationValues;
  return d.legality === 'legal' && d.subType !== 'other_legal' && !(Array.isArray(value) && value.length) ? 'form.errors.approvalRequired' : undefined;
};

/**
 * `rules` are the region's rules the task carries (which farmland questions it asks, which categories may
 * not be "other", the photos a county's determination carries); `category` is the patch's. Without rules
 * every question is shown. `countyFiling`: the county's own determination (核查填报, its correction), the
 * one the evidence rule applies to.
 */
export function DeterminationInputs({
  prefix = 'determination',
  patchCode,
  rules,
  category,
  countyFiling = false,
  since,
  batchKind,
  measured = false,
}: {
  prefix?: string;
  patchCode: string;
  rules?: DeterminationRulesValue;
  category?: string | null;
  countyFiling?: boolean;
  /** When the task opened: files uploaded for the patch since then are the form's (they survive a reload). */
  since?: string;
  /** The patch's batch kind: a mineral batch's patches answer the mineral part. */
  batchKind?: string | null;
  /**
   * The form files the areas the land layers measured (核查填报, its correction, 直接认定): the measurement is shown
   * beside them and differing areas ask for a reason (docs/domain.md §13).
   */
  measured?: boolean;
}) {
  const translate = useTranslate();
  const { setValue, getValues } = useFormContext();
  const measurement = useMeasurement(measured ? patchCode : '');
  const values = (useWatch({ name: prefix }) ?? {}) as DeterminationValues;
  const legality = values.legality as Legality | null | undefined;
  const subTypes = subTypesOf(legality);
  const flags: readonly FarmlandFlag[] = rules?.farmlandFlags ?? FARMLAND_FLAGS;
  const otherForbidden = Boolean(category && rules?.forbidOtherFor?.includes(category));
  const evidenceRule = countyFiling ? rules?.evidence : undefined;
  const photosNeeded = requiredGpsPhotos(values, evidenceRule);
  // The evidence rule checked here as on the server (policy verification.evidence), in the UI's words.
  const evidenceRequired = (value: unknown, all: Record<string, unknown>) => {
    const need = requiredGpsPhotos((get(all, prefix) ?? {}) as DeterminationValues, evidenceRule);
    const have = gpsPhotoCount(value as DeterminationValues['evidence']);
    return need > have ? translate('form.errors.evidenceRequired', { n: need, have }) : undefined;
  };

  // A sub-type belongs to one legality class: changing the class clears a sub-type of another.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the class changes, which is what `legality` says
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
        <ArrayInput source={`${prefix}.approvals`} label="form.determination.approvals" validate={approvalsRequired(prefix)}>
          <SimpleFormIterator inline disableReordering addButton={<AddApprovalButton />}>
            <SelectInput source="type" label="form.determination.approvalType" choices={approvalChoices} validate={required()} />
            <TextInput source="documentNumber" label="form.determination.documentNumber" validate={required()} />
            <DateInput source="date" label="form.determination.approvalDate" validate={required()} />
          </SimpleFormIterator>
        </ArrayInput>
      )}
      {measured && measurement !== undefined && <MeasurementPanel prefix={prefix} measurement={measurement} />}
      <AreasInputs prefix={prefix} />
      {measured && measurement && <OverrideReasonInput prefix={prefix} suggested={measurement.suggestedAreas} />}
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
      {/* 一图两用、地矿同核: the mineral part beside the land part, reviewed with it. */}
      <MineralInputs
        prefix={prefix}
        required={
          Boolean(category) && mineralPartRequired({ category: category as PatchCategory, batchKind: (batchKind ?? undefined) as BatchKind | undefined })
        }
      />
      {photosNeeded > 0 && (
        <Alert severity={gpsPhotoCount(values.evidence) >= photosNeeded ? 'success' : 'info'} data-testid="evidence-rule">
          {translate(`form.determination.evidenceRule.${legality === 'illegal' ? 'illegal' : 'legalWithoutApproval'}`, { n: photosNeeded })}
        </Alert>
      )}
      <EvidenceInput
        source={`${prefix}.evidence`}
        patchCode={patchCode}
        label="form.determination.evidence"
        validate={evidenceRule ? evidenceRequired : undefined}
        since={since}
      />
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

const newStructuresRequired =
  (prefix: string, rules: DeterminationRulesValue | undefined, category: string | null | undefined) => (value: unknown, all: Record<string, unknown>) =>
    needsNewStructures(get(all, prefix) as DeterminationValues, rules, category) && value !== 'yes' && value !== 'no' ? 'form.errors.newStructures' : undefined;

function AreasInputs({ prefix }: { prefix: string }) {
  const translate = useTranslate();
  const { errors } = useFormState();
  // A rule on the areas as a whole (e.g. "areas_inconsistent") comes back on the group's path.
  const groupError = get(errors, `${prefix}.areas`) as { message?: string } | undefined;
  // Each area is checked against the one it is part of: only the field that is too large is marked.
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const areas = (all: Record<string, unknown>) => (get(all, `${prefix}.areas`) ?? {}) as DeterminationValues['areas'] & object;
  const farmlandWithinTotal = (_: unknown, all: Record<string, unknown>) =>
    n(areas(all).farmlandMu) > n(areas(all).totalMu) ? 'form.errors.farmlandOverTotal' : undefined;
  const basicWithinFarmland = (_: unknown, all: Record<string, unknown>) =>
    n(areas(all).basicFarmlandMu) > n(areas(all).farmlandMu) ? 'form.errors.basicOverFarmland' : undefined;
  const redLineWithinTotal = (_: unknown, all: Record<string, unknown>) =>
    n(areas(all).redLineMu) > n(areas(all).totalMu) ? 'form.errors.redLineOverTotal' : undefined;
  return (
    <Box>
      <Typography variant="subtitle2">{translate('form.determination.areas')}</Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' }, columnGap: 1 }}>
        <NumberInput source={`${prefix}.areas.totalMu`} label="form.determination.totalMu" min={0} step={0.01} validate={required()} />
        <NumberInput source={`${prefix}.areas.farmlandMu`} label="form.determination.farmlandMu" min={0} step={0.01} validate={farmlandWithinTotal} />
        <NumberInput source={`${prefix}.areas.basicFarmlandMu`} label="form.determination.basicFarmlandMu" min={0} step={0.01} validate={basicWithinFarmland} />
        <NumberInput source={`${prefix}.areas.redLineMu`} label="form.determination.redLineMu" min={0} step={0.01} validate={redLineWithinTotal} />
      </Box>
      {groupError?.message && <FormHelperText error>{groupError.message}</FormHelperText>}
    </Box>
  );
}
