/** The stage of a case, with "overdue", "carried over" (跨年度) and "struck off" marked. */
import { Chip, Stack } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { CaseRecord } from './types';

const COLOR: Record<string, 'default' | 'primary' | 'success' | 'warning'> = {
  struck_off: 'success',
  merged: 'default',
  awaiting_transfers: 'warning',
};

export function CaseStatusChips({ record, compact = false }: { record: CaseRecord; compact?: boolean }) {
  const translate = useTranslate();
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }} component="span">
      <Chip
        size="small"
        color={COLOR[record.status] ?? 'primary'}
        variant={compact ? 'outlined' : 'filled'}
        label={translate(`enums.caseStage.${record.status}`, { _: record.status })}
      />
      {record.overdue && <Chip size="small" color="error" label={translate('app.overdue')} />}
      {record.carriedOver && <Chip size="small" color="warning" variant="outlined" label={translate('case.carriedOver')} data-testid="carried-over" />}
    </Stack>
  );
}
