/**
 * Applying a change: a note (why), then PUT /api/regions/:code/policy saves a new version and starts the
 * fan-out to the subtree's running workflows, whose progress is polled until it completes.
 */
import PublishIcon from '@mui/icons-material/Publish';
import { Alert, Box, Button, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import type { PolicyOverrides } from '../../../domain/policy';
import { rejectionOf, type ServerRejection } from '../tasks/forms/submission';
import { broadcastProgress, savePolicy, type SaveAnswer } from './api';

function Progress({ saved }: { saved: SaveAnswer }) {
  const translate = useTranslate();
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: ['policy-broadcast', saved.broadcastWorkflowId],
    queryFn: async () => {
      const p = await broadcastProgress(saved.broadcastWorkflowId);
      if (p.status === 'COMPLETED') void queryClient.invalidateQueries();
      return p;
    },
    refetchInterval: (q) => (q.state.data?.status === 'COMPLETED' || q.state.data?.status === 'FAILED' ? false : 1000),
  });
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

export function ApplyPanel({ regionCode, draft, dirty, onSaved }: { regionCode: string; draft: PolicyOverrides; dirty: boolean; onSaved: () => void }) {
  const translate = useTranslate();
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<SaveAnswer>();
  const [rejection, setRejection] = useState<ServerRejection>();
  const [busy, setBusy] = useState(false);
  const apply = async () => {
    setBusy(true);
    setRejection(undefined);
    try {
      const answer = await savePolicy(regionCode, draft, note.trim());
      setSaved(answer);
      setNote('');
      onSaved();
    } catch (err) {
      setRejection(rejectionOf(err));
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
      {rejection && (
        <Alert severity="error">
          {Object.keys(rejection.errors).length
            ? Object.entries(rejection.errors)
                .map(([p, m]) => `${p}：${m}`)
                .join('；')
            : rejection.message}
        </Alert>
      )}
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
