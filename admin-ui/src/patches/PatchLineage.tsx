/**
 * 拆分关系 and 合并关系: the patch a child was split from, the children of a split patch with their stage and
 * legality; the patches a merged patch was merged from, and the patch a source was merged into.
 */
import { Link, Stack, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { formatMu } from '../format';
import { colon } from '../i18n/punctuation';
import { SplitMap } from './SplitMap';
import type { PatchRecord } from './types';

const patchLink = (code: string) => `#/patches/${encodeURIComponent(code)}/show`;

/** Whether the patch was split or merged, or came from a split or a merge. */
export const hasLineage = (patch: PatchRecord) =>
  Boolean(patch.parentCode || (patch.children?.length ?? 0) > 0 || patch.mergedInto || (patch.mergedFrom?.length ?? 0) > 0);

export function PatchLineage({ patch }: { patch: PatchRecord }) {
  const translate = useTranslate();
  const children = patch.children ?? [];
  const mergedFrom = patch.mergedFrom ?? [];
  if (!hasLineage(patch)) return null;
  return (
    <Stack spacing={1} data-testid="patch-lineage">
      {patch.mergedInto && (
        <Typography variant="body2" data-testid="lineage-merged-into">
          {translate('merge.mergedInto')}
          {colon(translate)}
          <Link href={patchLink(patch.mergedInto)}>{patch.mergedInto}</Link>
        </Typography>
      )}
      {mergedFrom.length > 0 && (
        <Typography variant="body2" data-testid="lineage-merged-from">
          {translate('merge.sources')}
          {colon(translate)}
          {mergedFrom.map((code, i) => (
            <span key={code}>
              {i > 0 ? '、' : ''}
              <Link href={patchLink(code)}>{code}</Link>
            </span>
          ))}
        </Typography>
      )}
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
