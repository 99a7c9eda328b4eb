/** 拆分审核: the children the county drew or uploaded, on the map over the patch; approve, or refuse with a reason. */
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
  { id: 'approve', name: 'split.approve' },
  { id: 'reject', name: 'split.reject' },
];

export function SplitReviewForm({ patchCode }: TaskFormProps) {
  const translate = useTranslate();
  const decision = useWatch({ name: 'decision' });
  const { data: patch } = useGetOne<PatchRecord>('patches', { id: patchCode });
  const children = patch?.pendingSplit?.children ?? [];
  return (
    <>
      {children.length > 0 && (
        <Stack spacing={1} sx={{ mb: 2 }}>
          <SplitMap parent={patch?.geometry} parts={children.map((c) => ({ label: c.code.slice(c.code.lastIndexOf('_')), geometry: c.geometry }))} />
          <Typography variant="body2" data-testid="split-children">
            {joinSemi(
              translate,
              children.map((c) => `${c.code}${colon(translate)}${formatMu(c.areaMu)} ${translate('task.mu')}`),
            )}
          </Typography>
        </Stack>
      )}
      <DecisionInput choices={choices} />
      {decision === 'reject' && <ReasonInput label="split.rejectReason" />}
    </>
  );
}
