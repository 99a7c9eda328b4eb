/** 拆分关系: the patch a child was split from, and the children of a split patch with their stage and legality. */
import { Link, Stack, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { formatMu } from '../format';
import { colon } from '../i18n/punctuation';
import { SplitMap } from './SplitMap';
import type { PatchRecord } from './types';

const patchLink = (code: string) => `#/patches/${encodeURIComponent(code)}/show`;

export function PatchLineage({ patch }: { patch: PatchRecord }) {
  const translate = useTranslate();
  const children = patch.children ?? [];
  if (!patch.parentCode && children.length === 0) return null;
  return (
    <Stack spacing={1} data-testid="patch-lineage">
      {patch.parentCode && (
        <Typography variant="body2">
          {translate('split.parent')}
          {colon(translate)}
          <Link href={patchLink(patch.parentCode)}>{patch.parentCode}</Link>
        </Typography>
      )}
      {children.length > 0 && (
        <>
          <SplitMap
            parent={patch.geometry}
            parts={children.map((c) => ({ label: c.code.slice(c.code.lastIndexOf('_')), geometry: c.geometry }))}
            height={220}
          />
          {children.map((c) => (
            <Typography key={c.code} variant="body2" data-testid="lineage-child">
              <Link href={patchLink(c.code)}>{c.code}</Link> · {formatMu(c.areaMu)} {translate('task.mu')} ·{' '}
              {translate(`enums.stage.${c.stage}`, { _: c.stage })}
              {c.legality ? ` · ${translate(`enums.legality.${c.legality}`)}` : ''}
            </Typography>
          ))}
        </>
      )}
    </Stack>
  );
}
