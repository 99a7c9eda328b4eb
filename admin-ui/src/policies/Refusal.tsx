/**
 * A refused preview or apply: the field errors are shown on the inputs (the editor's, the samples', the
 * note); this says so, and lists only the messages that no input shows.
 */
import { Alert, Box } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { ServerRejection } from '../tasks/forms/submission';
import { shownByEditor } from './sections';

export function Refusal({
  rejection,
  shownHere = () => false,
  testId,
}: {
  rejection: ServerRejection /** Paths the panel shows itself. */;
  shownHere?: (path: string) => boolean;
  testId?: string;
}) {
  const translate = useTranslate();
  const entries = Object.entries(rejection.errors);
  if (!entries.length) {
    return (
      <Alert severity="error" data-testid={testId}>
        {rejection.message}
      </Alert>
    );
  }
  const elsewhere = entries.filter(([p]) => !shownHere(p) && !(p.startsWith('overrides.') && shownByEditor(p.slice('overrides.'.length))));
  return (
    <Alert severity="error" data-testid={testId}>
      {translate('policy.refused')}
      {elsewhere.length > 0 && (
        <Box component="ul" sx={{ m: 0, pl: 2 }}>
          {elsewhere.map(([p, m]) => (
            <li key={p}>{m}</li>
          ))}
        </Box>
      )}
    </Alert>
  );
}
