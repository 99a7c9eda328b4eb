/**
 * One evidence entry: thumbnail, name, where and when it was taken, and its warnings — those it carries
 * (just uploaded) or, for an entry of a submitted determination, those of the patch's evidence list.
 * Warnings are written from their code and params in the UI's language (the server's message where the code is new).
 */
import DeleteIcon from '@mui/icons-material/Delete';
import PlaceIcon from '@mui/icons-material/Place';
import ScheduleIcon from '@mui/icons-material/Schedule';
import { Alert, Box, IconButton, Stack, Tooltip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { CAPTURE_CLOCK_TOLERANCE_MINUTES, GPS_FAR_FROM_PATCH_METRES, type EvidenceWarningParams } from '../../../domain/evidence';
import { UserText } from '../common/UserText';
import { formatDate, formatDateTime } from '../format';
import { useEvidencePatch, usePatchEvidence } from './context';
import { EvidenceThumb } from './EvidenceThumb';

export interface EvidenceEntry {
  sha256: string;
  kind: 'photo' | 'video';
  name?: string;
  gps?: { lat: number; lng: number };
  capturedAt?: string;
  warnings?: EvidenceWarningValue[];
}

export interface EvidenceWarningValue {
  code: string;
  /** The server's text, in the language the UI asked for. */
  message: string;
  /** The values the text names (domain/evidence.ts EvidenceWarningParams). */
  params?: EvidenceWarningParams;
  distanceMetres?: number;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A warning in the UI's language from its code and params (an older answer without params: from the patch on the page). */
function warningText(translate: Translate, w: EvidenceWarningValue, kind: string, issuedAt?: string | null): string {
  const what = translate(`evidence.${w.params?.kind ?? kind}`);
  switch (w.code) {
    case 'gps_far_from_patch': {
      const metres = w.params?.distanceMetres ?? w.distanceMetres;
      return metres === undefined
        ? w.message
        : translate('evidence.warning.gps_far_from_patch', { what, metres, limit: w.params?.limitMetres ?? GPS_FAR_FROM_PATCH_METRES });
    }
    case 'predates_issuance': {
      const issued = w.params?.issuedOn ?? issuedAt;
      return issued ? translate('evidence.warning.predates_issuance', { what, issued: formatDate(issued) }) : w.message;
    }
    case 'captured_in_future':
      return translate('evidence.warning.captured_in_future', { what, minutes: w.params?.toleranceMinutes ?? CAPTURE_CLOCK_TOLERANCE_MINUTES });
    case 'no_gps':
    case 'no_capture_time':
      return translate(`evidence.warning.${w.code}`, { what });
    default:
      return w.message;
  }
}

export function EvidenceCard({ entry, onRemove }: { entry: EvidenceEntry; onRemove?: () => void }) {
  const translate = useTranslate();
  const patch = useEvidencePatch();
  const { data: listed } = usePatchEvidence(patch?.patchCode ?? '', { enabled: entry.warnings === undefined });
  const warnings = entry.warnings ?? listed?.find((e) => e.sha256 === entry.sha256)?.warnings ?? [];
  return (
    <Box sx={{ display: 'flex', gap: 1.5, p: 1, border: 1, borderColor: 'divider', borderRadius: 1, alignItems: 'flex-start' }} data-testid="evidence-entry">
      <EvidenceThumb sha256={entry.sha256} kind={entry.kind} name={entry.name} />
      <Stack sx={{ minWidth: 0, flex: 1 }} spacing={0.5}>
        <Typography variant="body2" noWrap title={entry.name}>
          {translate(`evidence.${entry.kind}`)} · <UserText>{entry.name ?? entry.sha256.slice(0, 12)}</UserText>
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
          <PlaceIcon fontSize="inherit" />
          {entry.gps ? `${entry.gps.lat.toFixed(5)}, ${entry.gps.lng.toFixed(5)}` : translate('evidence.noGps')}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
          <ScheduleIcon fontSize="inherit" />
          {entry.capturedAt ? formatDateTime(entry.capturedAt) : translate('evidence.noTime')}
        </Typography>
        {warnings.map((w) => (
          <Alert key={w.code} severity="warning" sx={{ py: 0, '& .MuiAlert-message': { py: 0.5 } }} data-warning={w.code}>
            {warningText(translate, w, entry.kind, patch?.issuedAt)}
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
