/** The status chip and progress bar of an import. */
import { Box, Chip, LinearProgress, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

export interface ImportRecord {
  id: string;
  status: 'pending' | 'running' | 'interrupted' | 'completed' | 'failed';
  total: number;
  processed: number;
  percent: number;
  error?: string | null;
}

const COLOR = { pending: 'default', running: 'info', interrupted: 'warning', completed: 'success', failed: 'error' } as const;

export const isFinished = (status?: string) => status === 'completed' || status === 'failed';

export function StatusChip({ record }: { record: ImportRecord }) {
  const translate = useTranslate();
  return <Chip size="small" color={COLOR[record.status]} label={translate(`imports.status.${record.status}`)} />;
}

export function ImportProgress({ record, compact = false }: { record: ImportRecord; compact?: boolean }) {
  const translate = useTranslate();
  return (
    <Box sx={{ minWidth: compact ? 120 : 320 }}>
      <LinearProgress
        variant={record.status === 'pending' ? 'indeterminate' : 'determinate'}
        value={record.percent}
        color={record.status === 'failed' ? 'error' : record.status === 'completed' ? 'success' : 'primary'}
        aria-label={translate('resources.imports.fields.percent')}
        sx={{ height: compact ? 6 : 10, borderRadius: 1 }}
      />
      <Typography variant="caption" color="text.secondary" data-testid="import-progress">
        {compact ? `${record.percent}%` : translate('imports.progress', { processed: record.processed, total: record.total })}
      </Typography>
    </Box>
  );
}
