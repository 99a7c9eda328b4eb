/** A patch's attributes and areas in mu, as label/value pairs that wrap on a phone. */
import { Box, Chip, Stack, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { Link, useCreatePath, useTranslate } from 'react-admin';
import { UserText } from '../common/UserText';
import { formatDate, formatDateTime, formatMu } from '../format';
import { paren } from '../i18n/punctuation';
import type { PatchRecord } from './types';

export function PatchStatusChips({ patch }: { patch: PatchRecord }) {
  const translate = useTranslate();
  return (
    <Stack component="span" direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
      <Chip size="small" label={translate(`enums.stage.${patch.stage}`)} />
      {patch.legality && (
        <Chip
          size="small"
          color={patch.legality === 'illegal' ? 'error' : patch.legality === 'legal' ? 'success' : 'default'}
          label={translate(`enums.legality.${patch.legality}`)}
        />
      )}
      {patch.directDetermination && <Chip size="small" color="warning" label={translate('patch.directDetermination')} />}
      {patch.overdue && <Chip size="small" color="error" label={translate('app.overdue')} />}
    </Stack>
  );
}

export function PatchAttributes({ patch, compact = false }: { patch: PatchRecord; compact?: boolean }) {
  const translate = useTranslate();
  const createPath = useCreatePath();
  const f = (field: string) => translate(`resources.patches.fields.${field}`);
  const rows: Array<[string, ReactNode]> = [
    [
      f('code'),
      <Link key="code" to={createPath({ resource: 'patches', id: patch.code, type: 'show' })}>
        {patch.code}
      </Link>,
    ],
    [
      f('regionName'),
      <>
        <UserText>{patch.regionName}</UserText>
        {paren(translate, patch.countyCode)}
      </>,
    ],
    [f('category'), translate(`enums.category.${patch.category}`)],
    [f('areaMu'), formatMu(patch.areaMu)],
    [f('farmlandMu'), formatMu(patch.farmlandMu)],
    [f('issuedAt'), formatDate(patch.issuedAt)],
  ];
  if (!compact) {
    rows.push(
      [f('source'), translate(`enums.source.${patch.source}`)],
      [f('batchCode'), patch.batchCode ? <UserText key="batchCode">{patch.batchCode}</UserText> : '—'],
      [f('batchKind'), translate(`enums.batchKind.${patch.batchKind}`, { _: patch.batchKind })],
      [f('imagedAt'), patch.imagedAt ? formatDate(patch.imagedAt) : '—'],
      [f('dueAt'), patch.dueAt ? formatDateTime(patch.dueAt) : '—'],
    );
  }
  return (
    <Box
      sx={{ display: 'grid', gridTemplateColumns: { xs: 'auto 1fr', sm: compact ? 'auto 1fr' : 'auto 1fr auto 1fr' }, columnGap: 2, rowGap: 0.75 }}
      data-testid="patch-attributes"
    >
      {rows.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <Typography variant="body2" color="text.secondary">
            {label}
          </Typography>
          <Typography variant="body2" component="div">
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
