/**
 * Applying a change: a note (why), then a confirmation that sums up what it does — the change previewed
 * again as it now stands: how many running workflows and open tasks move, to which dates, how many come
 * earlier or become overdue at once, and the samples of the last preview — and only then PUT
 * /api/regions/:code/policy saves a new version and starts the fan-out to the subtree's running workflows,
 * whose progress is polled until it completes.
 */
import PublishIcon from '@mui/icons-material/Publish';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import type { PolicyOverrides } from '../../../domain/policy';
import { rejectionOf, type ServerRejection } from '../tasks/forms/submission';
import { formatDate } from '../format';
import { broadcastProgress, previewPolicy, savePolicy, type BroadcastAnswer, type PreviewAnswer, type SaveAnswer } from './api';
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

/** What applying the draft does, from a preview of it as it stands, for the administrator to confirm. */
function ConfirmApply({
  affected,
  samples,
  note,
  busy,
  onCancel,
  onConfirm,
}: {
  affected?: PreviewAnswer['affected'];
  samples: PreviewAnswer['samples'];
  note: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const translate = useTranslate();
  const t = (k: string, o?: Record<string, unknown>) => translate(`policy.confirm.${k}`, o);
  const changed = samples.filter((s) => s.currentDueAt !== s.proposedDueAt);
  return (
    <Dialog open onClose={onCancel} fullWidth maxWidth="sm">
      <DialogTitle>{t('title')}</DialogTitle>
      <DialogContent data-testid="apply-confirm">
        {!affected ? (
          <Typography variant="body2">{t('checking')}</Typography>
        ) : (
          <Stack spacing={1}>
            <Alert severity={affected.tasks ? 'warning' : 'info'} data-testid="apply-confirm-affected">
              {affected.tasks ? t('affected', { workflows: affected.workflows, tasks: affected.tasks, open: affected.openTasksInSubtree }) : t('none')}
              {affected.tasks > 0 && affected.newDueFrom && affected.newDueTo && (
                <Box component="span" data-testid="apply-confirm-dates">
                  {formatDate(affected.newDueFrom) === formatDate(affected.newDueTo)
                    ? t('rangeOne', { date: formatDate(affected.newDueFrom) })
                    : t('range', { from: formatDate(affected.newDueFrom), to: formatDate(affected.newDueTo) })}
                </Box>
              )}
              {(affected.earlier ?? 0) > 0 && t('earlier', { n: affected.earlier })}
            </Alert>
            {(affected.overdueAtOnce ?? 0) > 0 && (
              <Alert severity="error" data-testid="apply-confirm-overdue">
                {t('overdue', { n: affected.overdueAtOnce })}
              </Alert>
            )}
            {changed.length > 0 && (
              <Box data-testid="apply-confirm-samples">
                <Typography variant="body2">{t('samples')}</Typography>
                {changed.map((s, i) => (
                  <Typography key={i} variant="body2" sx={{ pl: 2 }}>
                    {t('sample', { type: translate(`enums.taskType.${s.taskType}`), from: formatDate(s.currentDueAt), to: formatDate(s.proposedDueAt) })}
                  </Typography>
                ))}
              </Box>
            )}
            <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
              {t('note', { note })}
            </Typography>
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" color="warning" startIcon={<PublishIcon />} onClick={onConfirm} disabled={busy || !affected}>
          {t('ok')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function ApplyPanel({
  regionCode,
  draft,
  dirty,
  lastPreview,
  onSaved,
  onErrors,
}: {
  regionCode: string;
  draft: PolicyOverrides;
  dirty: boolean /** The last preview's answer, if it was of this draft: its samples are shown in the confirmation. */;
  lastPreview?: PreviewAnswer;
  onSaved: () => void /** The overrides' field errors, for the editor's inputs. */;
  onErrors?: (errors: Record<string, string>) => void;
}) {
  const translate = useTranslate();
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState<SaveAnswer>();
  const [rejection, setRejection] = useState<ServerRejection>();
  const [busy, setBusy] = useState(false);
  /** The confirmation: open, with what the draft moves once the preview of it is back. */
  const [confirming, setConfirming] = useState<{ affected?: PreviewAnswer['affected'] }>();
  const refused = (err: unknown) => {
    const r = rejectionOf(err);
    setRejection(r);
    onErrors?.(overrideErrors(r.errors));
  };
  // 应用并下发 previews the draft as it stands (the last preview may be of another draft) and asks to confirm.
  const confirm = async () => {
    setBusy(true);
    setRejection(undefined);
    onErrors?.({});
    setConfirming({});
    try {
      const answer = await previewPolicy(regionCode, draft, []);
      setConfirming({ affected: answer.affected });
    } catch (err) {
      setConfirming(undefined);
      refused(err);
    } finally {
      setBusy(false);
    }
  };
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
      refused(err);
    } finally {
      setBusy(false);
      setConfirming(undefined);
    }
  };
  const samplesOfDraft = lastPreview?.samples ?? [];
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
      <Button
        variant="contained"
        color="warning"
        startIcon={<PublishIcon />}
        onClick={confirm}
        disabled={busy || !dirty || note.trim().length < 2}
        sx={{ alignSelf: 'flex-start' }}
      >
        {translate('policy.apply')}
      </Button>
      {!dirty && !saved && (
        <Typography variant="caption" color="text.secondary">
          {translate('policy.noChanges')}
        </Typography>
      )}
      {confirming && (
        <ConfirmApply
          affected={confirming.affected}
          samples={samplesOfDraft}
          note={note.trim()}
          busy={busy}
          onCancel={() => setConfirming(undefined)}
          onConfirm={apply}
        />
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
