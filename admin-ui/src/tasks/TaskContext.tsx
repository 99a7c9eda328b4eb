/**
 * What the task is about, read-only, from the task's `context` (written by the workflow when it opens
 * the task): the determination under review, a send-back reason, an extension request, …
 */
import { Box, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { DeterminationView, type DeterminationData } from './DeterminationView';

const KNOWN: Record<string, string> = {
  reason: 'task.sentBackReason',
  sendBackReason: 'task.sentBackReason',
  requestedDate: 'task.requestedDueDate',
  level: 'task.level',
};

/** Values that are codes with a label of their own. */
const VALUE_LABELS: Record<string, string> = { level: 'enums.reviewLevel' };

const isDetermination = (v: unknown): v is DeterminationData =>
  typeof v === 'object' && v !== null && 'legality' in v && 'subType' in v;

export function TaskContext({ context }: { context: Record<string, unknown> }) {
  const translate = useTranslate();
  const entries = Object.entries(context).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (entries.length === 0) return null;
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }} data-testid="task-context">
      {entries.map(([key, value]) => {
        if (isDetermination(value)) {
          return (
            <Box key={key}>
              {key !== 'determination' && <Typography variant="subtitle2">{translate('task.previous')}</Typography>}
              <DeterminationView determination={value} />
            </Box>
          );
        }
        const label = KNOWN[key] ? translate(KNOWN[key]) : key;
        const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
        const text = VALUE_LABELS[key] ? translate(`${VALUE_LABELS[key]}.${raw}`, { _: raw }) : raw;
        return (
          <Box key={key} sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <Typography variant="body2" color="text.secondary" sx={{ minWidth: 112 }}>
              {label}
            </Typography>
            <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
              {text}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
