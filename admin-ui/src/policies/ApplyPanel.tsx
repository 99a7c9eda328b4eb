/**
 * Applying a change: a note (why), then PUT /api/regions/:code/policy saves a new version and starts the
 * fan-out to the subtree's running workflows, whose progress is polled until it completes.
 */
import PublishIcon from '@mui/icons-material/Publish';
import { Alert, Box, Button, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import type { PolicyOverrides } from '../../../domain/policy';
import { rejectionOf, type ServerRejection } from '../tasks/forms/submission';
import { broadcastProgress, savePolicy, type BroadcastAnswer, type SaveAnswer } from './api';
import { overrideErrors } from './context';
import { Refusal } from './Refusal';

/** Polls the fan-out's progress every second until it completes (or fails). */
function useBroadcast(id: string) {
  const queryClient = useQueryClient();
  const [data, setData] = useState<BroadcastAnswer>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const answer = await broadcastProgress(id).catch(() => undefined);
      if (stopped) return;
      if (answer) setData(answer);
      if (answer && ['COMPLETED', 'FAILED', 'TERMINATED', 'CANCELED', 'TIMED_OUT'].includes(answer.status)) {
        // The versions list and the policy show the fan-out done.
        void queryClient.invalidateQueries();
        return;
      }
      timer = setTimeout(poll, 1000);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [id, queryClient]);
  return data;
}

function Progress({ saved }: { saved: SaveAnswer }) {
  const translate = useTranslate();
  const data = useBroadcast(saved.broadcastWorkflowId);
  const p = data?.progress;
  const done = data?.status === 'COMPLETED';
  const total = p?.total ?? saved.affected.workflows;
  const value = done ? 100 : total ? Math.min(100, ((p?.signalled ?? 0) / total) * 100) : 0;
  return (
    <Box data-testid="broadcast-progress" data-status={data?.status ?? 'STARTING'}>
      <Typography variant="body2" sx={{ mb: 0.5 }}>
        {done
          ? translate('policy.broadcastDone', { signalled: p?.signalled ?? 0, version: saved.version })
          : translate('policy.broadcasting', { signalled: p?.signalled ?? 0, total: total ?? '…', pages: p?.pages ?? 0 })}
      </Typography>
      <LinearProgress variant={done || total ? 'determinate' : 'indeterminate'} value={value} color={done ? 'success' : 'primary'} />
    </Box>
  );
}

export function ApplyPanel({ regionCode, draft, dirty, onSaved, onErrors }: { regionCode: string; draft: PolicyOverrides; dirty: boolean; onSaved: () => void; /** The overrides' field errors, for the editor's inputs. */ onErrors?: (errors: Record<string, string>) => void }) {
  const translate = useTranslate();
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<SaveAnswer>();
  const [rejection, setRejection] = useState<ServerRejection>();
  const [busy, setBusy] = useState(false);
  const apply = async () => {
    setBusy(true);
    setRejection(undefined);
    onErrors?.({});
    try {
      const answer = await savePolicy(regionCode, draft, note.trim());
      setSaved(answer);
      setNote('');
      onSaved();
    } catch (err) {
      const r = rejectionOf(err);
      setRejection(r);
      onErrors?.(overrideErrors(r.errors));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1.5} data-testid="policy-apply">
      <TextField
        label={translate('policy.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        multiline
        minRows={2}
        required
        error={Boolean(rejection?.errors.note)}
        helperText={rejection?.errors.note ?? translate('policy.noteHint')}
        slotProps={{ htmlInput: { 'data-testid': 'policy-note', maxLength: 500 } }}
      />
      {rejection && <Refusal rejection={rejection} testId="apply-errors" shownHere={(p) => p === 'note'} />}
      <Button variant="contained" color="warning" startIcon={<PublishIcon />} onClick={apply} disabled={busy || !dirty || note.trim().length < 2} sx={{ alignSelf: 'flex-start' }}>
        {translate('policy.apply')}
      </Button>
      {!dirty && !saved && (
        <Typography variant="caption" color="text.secondary">
          {translate('policy.noChanges')}
        </Typography>
      )}
      {saved && (
        <Alert severity="success" icon={false}>
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate('policy.saved', { version: saved.version, workflows: saved.affected.workflows, tasks: saved.affected.tasks })}
          </Typography>
          <Progress saved={saved} />
        </Alert>
      )}
    </Stack>
  );
}
