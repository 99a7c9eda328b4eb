/**
 * The land layers' measurement beside the area fields (docs/domain.md §13): the measured areas, every
 * intersecting approval, the layer versions used and the legality suggestion, with a button that puts the measured
 * areas back into the fields; and, where the areas differ from the measured ones, the reason the officer gives
 * (as domain/legality.ts checkAreasOverride asks on the server).
 */
import RestartAltIcon from '@mui/icons-material/RestartAlt';
import { Alert, Box, Button, Stack, Typography } from '@mui/material';
import { TextInput, useGetOne, useLocaleState, useTranslate } from 'react-admin';
import { get, useFormContext, useWatch } from 'react-hook-form';
import { LAYER_KIND_LABELS, type LayerKind } from '../../../../domain/layers';
import { areasOverridden, type OccupiedAreas } from '../../../../domain/legality';
import { formatMu } from '../../format';
import { colon, joinList, joinSemi } from '../../i18n/punctuation';
import type { PatchRecord } from '../../patches/types';
import type { DeterminationValues } from './payloads';

export interface MeasurementRecord {
  totalMu: number;
  farmlandMu: number;
  basicFarmlandMu: number;
  redLineMu: number;
  approvals: Array<{ kind: LayerKind; documentNumber: string; date?: string; overlapMu: number; share: number }>;
  layers: Array<{ kind: LayerKind; version: number; name: string; regionCode: string }>;
  suggestedAreas: OccupiedAreas;
  suggestedLegality?: { legality: 'legal'; approval: { kind: LayerKind; documentNumber: string; share: number } } | null;
}

const AREA_KEYS = ['totalMu', 'farmlandMu', 'basicFarmlandMu', 'redLineMu'] as const;
const pct = (share: number) => String(Math.round(share * 100));

/** The patch's measurement, from the patch the task page has fetched (null: none; undefined: not yet known). */
export function useMeasurement(patchCode: string): MeasurementRecord | null | undefined {
  const { data } = useGetOne<PatchRecord & { measurement?: MeasurementRecord | null }>('patches', { id: patchCode }, { enabled: Boolean(patchCode) });
  return data ? (data.measurement ?? null) : undefined;
}

/** Submitted areas as numbers (an empty field counts as 0, as the payload sends it). */
const numbers = (a: DeterminationValues['areas']): OccupiedAreas => ({
  totalMu: Number(a?.totalMu ?? 0),
  farmlandMu: Number(a?.farmlandMu ?? 0),
  basicFarmlandMu: Number(a?.basicFarmlandMu ?? 0),
  redLineMu: Number(a?.redLineMu ?? 0),
});

export function MeasurementPanel({ prefix, measurement }: { prefix: string; measurement: MeasurementRecord | null }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const { setValue } = useFormContext();
  if (!measurement) {
    return (
      <Alert severity="info" data-testid="no-measurement">
        {translate('form.determination.measured.none')}
      </Alert>
    );
  }
  const kind = (k: LayerKind) => LAYER_KIND_LABELS[k]?.[locale === 'en' ? 'en' : 'zh'] ?? k;
  const legal = measurement.suggestedLegality;
  const accept = () => {
    for (const k of AREA_KEYS) setValue(`${prefix}.areas.${k}`, measurement.suggestedAreas[k], { shouldDirty: true, shouldValidate: true });
  };
  return (
    <Box sx={{ p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }} data-testid="measurement">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Typography variant="subtitle2">{translate('form.determination.measured.title')}</Typography>
        <Button size="small" startIcon={<RestartAltIcon />} onClick={accept} data-testid="accept-measured">
          {translate('form.determination.measured.accept')}
        </Button>
      </Stack>
      {legal && (
        <Alert severity="success" sx={{ my: 1 }} data-testid="legality-suggestion">
          {translate('form.determination.measured.legal', {
            kind: kind(legal.approval.kind),
            doc: legal.approval.documentNumber,
            share: pct(legal.approval.share),
          })}
        </Alert>
      )}
      <Typography variant="body2" data-testid="measured-areas">
        {translate('form.determination.measured.areas')}
        {colon(translate)}
        {AREA_KEYS.map((k) => `${translate(`form.determination.${k}`)} ${formatMu(measurement.suggestedAreas[k])}`).join(' · ')}
      </Typography>
      <Typography variant="body2" component="div" data-testid="measured-approvals">
        {translate('form.determination.measured.approvals')}
        {colon(translate)}
        {measurement.approvals.length === 0
          ? translate('form.determination.measured.noApprovals')
          : measurement.approvals.map((a) => (
              <div key={`${a.kind}:${a.documentNumber}:${a.overlapMu}`}>
                {translate('form.determination.measured.approval', {
                  kind: kind(a.kind),
                  doc: a.documentNumber || '—',
                  date: a.date ?? '—',
                  mu: formatMu(a.overlapMu),
                  share: pct(a.share),
                })}
              </div>
            ))}
      </Typography>
      <Typography variant="caption" color="text.secondary" data-testid="measured-layers">
        {translate('form.determination.measured.layers')}
        {colon(translate)}
        {joinSemi(
          translate,
          measurement.layers.map((l) => `${kind(l.kind)} ${l.name} v${l.version}`),
        )}
      </Typography>
    </Box>
  );
}

/** The reason for areas that differ from the measured ones, asked only then, naming the fields that differ. */
export function OverrideReasonInput({ prefix, suggested }: { prefix: string; suggested: OccupiedAreas }) {
  const translate = useTranslate();
  const areas = useWatch({ name: `${prefix}.areas` }) as DeterminationValues['areas'];
  const differing = areasOverridden(suggested, numbers(areas));
  if (differing.length === 0) return null;
  const fields = joinList(
    translate,
    differing.map((k) => translate(`form.determination.${k}`)),
  );
  const reasonRequired = (value: unknown, all: Record<string, unknown>) =>
    areasOverridden(suggested, numbers(get(all, `${prefix}.areas`))).length && !String(value ?? '').trim() ? 'form.errors.overrideReason' : undefined;
  return (
    <Box data-testid="override-reason">
      <TextInput
        source={`${prefix}.areasOverrideReason`}
        label="form.determination.measured.overrideReason"
        helperText={translate('form.determination.measured.overrideHint', { fields })}
        validate={reasonRequired}
        multiline
        fullWidth
      />
    </Box>
  );
}
