/** 合并审核: the source patches and their union, on the map; approve, or refuse with a reason. */
import { Stack, Typography } from '@mui/material';
import { useGetOne, useTranslate } from 'react-admin';
import { useWatch } from 'react-hook-form';
import { formatMu } from '../../format';
import { colon, joinSemi } from '../../i18n/punctuation';
import { SplitMap } from '../../patches/SplitMap';
import type { PatchRecord } from '../../patches/types';
import { DecisionInput } from './DecisionInput';
import { ReasonInput } from './ReasonInput';
import type { TaskFormProps } from './types';

const choices = [
  { id: 'approve', name: 'merge.approve' },
  { id: 'reject', name: 'merge.reject' },
];

export function MergeReviewForm({ patchCode }: TaskFormProps) {
  const translate = useTranslate();
  const decision = useWatch({ name: 'decision' });
  const { data: patch } = useGetOne<PatchRecord>('patches', { id: patchCode });
  const merge = patch?.pendingMerge;
  return (
    <>
      {merge && (
        <Stack spacing={1} sx={{ mb: 2 }} data-testid="merge-review">
          <SplitMap parent={merge.geometry} parts={merge.sources.map((s) => ({ label: s.code, geometry: s.geometry }))} />
          <Typography variant="body2" data-testid="merge-sources">
            {translate('merge.sources')}
            {colon(translate)}
            {joinSemi(
              translate,
              merge.sources.map((s) => `${s.code}${colon(translate)}${formatMu(s.areaMu)} ${translate('task.mu')}`),
            )}
          </Typography>
          <Typography variant="body2" data-testid="merge-union">
            {translate('merge.union')}
            {colon(translate)}
            {`${merge.mergedCode}${colon(translate)}${formatMu(merge.areaMu)} ${translate('task.mu')}`}
          </Typography>
        </Stack>
      )}
      <DecisionInput choices={choices} />
      {decision === 'reject' && <ReasonInput label="merge.rejectReason" />}
    </>
  );
}
