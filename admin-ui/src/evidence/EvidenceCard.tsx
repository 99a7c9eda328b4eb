/** One evidence entry: thumbnail, name, where and when it was taken, and its warnings. */
import DeleteIcon from '@mui/icons-material/Delete';
import PlaceIcon from '@mui/icons-material/Place';
import ScheduleIcon from '@mui/icons-material/Schedule';
import { Alert, Box, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { formatDateTime } from '../format';
import { EvidenceThumb } from './EvidenceThumb';

export interface EvidenceEntry {
  sha256: string;
  kind: 'photo' | 'video';
  name?: string;
  gps?: { lat: number; lng: number };
  capturedAt?: string;
  warnings?: Array<{ code: string; message: string }>;
}

export function EvidenceCard({ entry, onRemove }: { entry: EvidenceEntry; onRemove?: () => void }) {
  const translate = useTranslate();
  return (
    <Box sx={{ display: 'flex', gap: 1.5, p: 1, border: 1, borderColor: 'divider', borderRadius: 1, alignItems: 'flex-start' }} data-testid="evidence-entry">
      <EvidenceThumb sha256={entry.sha256} kind={entry.kind} name={entry.name} />
      <Stack sx={{ minWidth: 0, flex: 1 }} spacing={0.5}>
        <Typography variant="body2" noWrap title={entry.name}>
          {translate(`evidence.${entry.kind}`)} · {entry.name ?? entry.sha256.slice(0, 12)}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
          <PlaceIcon fontSize="inherit" />
          {entry.gps ? `${entry.gps.lat.toFixed(5)}, ${entry.gps.lng.toFixed(5)}` : translate('evidence.noGps')}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
          <ScheduleIcon fontSize="inherit" />
          {entry.capturedAt ? formatDateTime(entry.capturedAt) : translate('evidence.noTime')}
        </Typography>
        {entry.warnings?.map((w) => (
          <Alert key={w.code} severity="warning" sx={{ py: 0, '& .MuiAlert-message': { py: 0.5 } }} data-warning={w.code}>
            {w.message}
          </Alert>
        ))}
      </Stack>
      {onRemove && (
        <Tooltip title={translate('evidence.remove')}>
          <IconButton size="small" onClick={onRemove} aria-label={translate('evidence.remove')}>
            <DeleteIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      )}
    </Box>
  );
}
