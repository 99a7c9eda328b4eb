/** A determination, read-only: what a reviewer sees of the county's answer, and what the patch page shows. */
import { Box, Chip, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import { EvidenceCard, type EvidenceEntry } from '../evidence/EvidenceCard';
import { UserText } from '../common/UserText';
import { formatMu } from '../format';
import { colon } from '../i18n/punctuation';

export interface DeterminationData {
  legality: string;
  subType: string;
  approvals?: Array<{ type: string; documentNumber: string; date: string }>;
  areas?: { totalMu?: number; farmlandMu?: number; basicFarmlandMu?: number; redLineMu?: number };
  farmlandFlags?: Record<string, boolean>;
  evidence?: EvidenceEntry[];
  notes?: string;
  newStructures?: boolean;
  mineral?: { present: boolean; licensed?: boolean; licenseNumber?: string; finding: string };
  /** 面积经核查修正 (docs/domain.md §13): the land layers' areas the officer changed, and why. */
  suggestedAreas?: { totalMu: number; farmlandMu: number; basicFarmlandMu: number; redLineMu: number };
  areasOverrideReason?: string;
}

const LEGALITY_COLOR: Record<string, 'success' | 'error' | 'default'> = { legal: 'success', illegal: 'error', other: 'default' };

const AREA_KEYS = ['totalMu', 'farmlandMu', 'basicFarmlandMu', 'redLineMu'] as const;

export function DeterminationView({ determination: d }: { determination: DeterminationData }) {
  const translate = useTranslate();
  const areasText = (a: NonNullable<DeterminationData['areas']>) =>
    AREA_KEYS.map((k) => `${translate(`form.determination.${k}`)} ${formatMu(a[k])}`).join(' · ');
  const row = (label: string, value: ReactNode) => (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
      <Typography variant="body2" color="text.secondary" sx={{ minWidth: 112 }}>
        {translate(label)}
      </Typography>
      <Typography variant="body2" component="div">
        {value}
      </Typography>
    </Box>
  );
  return (
    <Stack spacing={0.75} data-testid="determination-view">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Chip size="small" color={LEGALITY_COLOR[d.legality] ?? 'default'} label={translate(`enums.legality.${d.legality}`)} />
        <Typography variant="body2">{translate(`enums.subType.${d.subType}`, { _: d.subType })}</Typography>
      </Stack>
      {d.approvals?.length
        ? row(
            'form.determination.approvals',
            d.approvals.map((a) => (
              <div key={`${a.type}:${a.documentNumber}`}>
                {translate(`enums.approvalType.${a.type}`, { _: a.type })} · <UserText>{a.documentNumber}</UserText> · {a.date}
              </div>
            )),
          )
        : null}
      {d.areas && row('form.determination.areas', areasText(d.areas))}
      {d.areasOverrideReason &&
        d.suggestedAreas &&
        row(
          'form.determination.measured.overridden',
          <span data-testid="areas-overridden">
            <UserText>{d.areasOverrideReason}</UserText>
            <Typography variant="caption" color="text.secondary" component="div">
              {translate('form.determination.measured.measuredWere', { areas: areasText(d.suggestedAreas) })}
            </Typography>
          </span>,
        )}
      {d.farmlandFlags &&
        Object.keys(d.farmlandFlags).length > 0 &&
        row(
          'form.determination.farmlandFlags',
          Object.entries(d.farmlandFlags).map(([flag, v]) => (
            <div key={flag}>
              {translate(`enums.farmlandFlag.${flag}`, { _: flag })}
              {colon(translate)}
              {translate(v ? 'form.yes' : 'form.no')}
            </div>
          )),
        )}
      {typeof d.newStructures === 'boolean' && row('form.determination.newStructures', translate(d.newStructures ? 'form.yes' : 'form.no'))}
      {d.mineral &&
        row(
          'form.determination.mineral.title',
          <span data-testid="mineral-view">
            {translate(`form.determination.mineral.finding.${d.mineral.finding}`, { _: d.mineral.finding })}
            {d.mineral.present
              ? ` · ${translate(d.mineral.licensed ? 'form.determination.mineral.withLicence' : 'form.determination.mineral.withoutLicence')}${d.mineral.licenseNumber ? ` ${d.mineral.licenseNumber}` : ''}`
              : ` · ${translate('form.determination.mineral.noMining')}`}
          </span>,
        )}
      {d.notes && row('form.determination.notes', <UserText>{d.notes}</UserText>)}
      {d.evidence && d.evidence.length > 0 && (
        <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
          {d.evidence.map((e) => (
            <EvidenceCard key={e.sha256} entry={e} />
          ))}
        </Box>
      )}
    </Stack>
  );
}
