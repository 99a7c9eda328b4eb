/** Label / value pairs that wrap on a phone: the read-only building block of task contexts and case pages. */
import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useTranslate } from 'react-admin';

export type RowSpec = [label: string, value: ReactNode] | false | null | undefined;

export function Rows({ rows, testId, labelWidth = 112 }: { rows: RowSpec[]; testId?: string; labelWidth?: number }) {
  const translate = useTranslate();
  const shown = rows.filter(
    (r): r is [string, ReactNode] =>
      Boolean(r) && (r as [string, ReactNode])[1] !== undefined && (r as [string, ReactNode])[1] !== null && (r as [string, ReactNode])[1] !== '',
  );
  if (shown.length === 0) return null;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: `minmax(auto, ${labelWidth}px) minmax(0, 1fr)`, columnGap: 1.5, rowGap: 0.75 }} data-testid={testId}>
      {shown.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <Typography variant="body2" color="text.secondary">
            {translate(label, { _: label })}
          </Typography>
          <Typography variant="body2" component="div" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** A yes / no mark for a boolean measure. */
export function YesNo({ value }: { value: boolean | undefined | null }) {
  const translate = useTranslate();
  return (
    <Box component="span" sx={{ color: value ? 'success.main' : 'text.secondary', fontWeight: value ? 500 : 400 }}>
      {value ? '✓ ' : '✗ '}
      {translate(value ? 'form.yes' : 'form.no')}
    </Box>
  );
}
