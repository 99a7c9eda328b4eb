/** Overdue (red) and due within three days (amber), for open tasks. */
import { Chip } from '@mui/material';
import { useTranslate } from 'react-admin';

const DAY = 24 * 3600 * 1000;
export const NEAR_DUE_MS = 3 * DAY;

export function DueChip({ record }: { record: { status: string; dueAt?: string | null; overdue: boolean } }) {
  const translate = useTranslate();
  if (record.status !== 'open' || !record.dueAt) return null;
  if (record.overdue) return <Chip size="small" color="error" label={translate('app.overdue')} />;
  if (new Date(record.dueAt).getTime() - Date.now() < NEAR_DUE_MS) return <Chip size="small" color="warning" label={translate('app.dueSoon')} />;
  return null;
}
