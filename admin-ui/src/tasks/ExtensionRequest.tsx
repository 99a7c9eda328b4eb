/**
 * 申请延期: a written extension request (reason, optionally the date asked for) on an open task, for whoever
 * may complete it. The level above decides in its own task; the server's field errors land on the fields.
 */
import EventRepeatIcon from '@mui/icons-material/EventRepeat';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { inSubtree } from '../../../domain/regions';
import { httpClient } from '../dataProvider';
import { formatDate } from '../format';
import { rejectionOf, type ServerRejection } from './forms/submission';
import type { TaskRecord } from './types';

/** Who may ask: the one who may complete it (role and region), unless someone else holds it. */
export function mayRequestExtension(task: TaskRecord, identity: { id?: unknown; role?: string; regionCode?: string } | undefined): boolean {
  if (!identity || task.status !== 'open' || task.type === 'extension_decision') return false;
  if (identity.role !== task.role || !identity.regionCode || !inSubtree(task.regionCode, identity.regionCode)) return false;
  return !task.assigneeId || task.assigneeId === identity.id;
}

export function ExtensionRequestButton({ task }: { task: TaskRecord }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { identity } = useGetIdentity();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [requestedDate, setRequestedDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [rejection, setRejection] = useState<ServerRejection>();
  const [sent, setSent] = useState(false);
  if (!mayRequestExtension(task, identity)) return null;
  if (sent)
    return (
      <Alert severity="info" sx={{ py: 0 }}>
        {translate('extension.pending')}
      </Alert>
    );

  const submit = async () => {
    setBusy(true);
    setRejection(undefined);
    try {
      await httpClient(`/api/tasks/${encodeURIComponent(task.id)}/extension`, {
        method: 'POST',
        body: JSON.stringify({ reason: reason.trim(), ...(requestedDate ? { requestedDate } : {}) }),
      });
      notify('extension.sent', { type: 'success' });
      setOpen(false);
      setSent(true);
      await queryClient.invalidateQueries();
    } catch (err) {
      const r = rejectionOf(err);
      setRejection(r);
      if (!Object.keys(r.errors).length) notify(r.message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const tooShort = reason.trim().length < 5;
  const fieldError = (path: string) => rejection?.errors[path];
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<EventRepeatIcon />} onClick={() => setOpen(true)}>
        {translate('extension.request')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <DialogTitle>{translate('extension.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <Alert severity="info">{translate('extension.hint', { due: formatDate(task.dueAt) })}</Alert>
            {rejection && !Object.keys(rejection.errors).length && <Alert severity="error">{rejection.message}</Alert>}
            <TextField
              label={translate('extension.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              multiline
              minRows={3}
              required
              error={Boolean(fieldError('reason'))}
              helperText={fieldError('reason') ?? translate('extension.reasonHint')}
              slotProps={{ htmlInput: { 'data-testid': 'extension-reason' } }}
            />
            <TextField
              label={translate('extension.requestedDate')}
              type="date"
              value={requestedDate}
              onChange={(e) => setRequestedDate(e.target.value)}
              error={Boolean(fieldError('requestedDate'))}
              helperText={fieldError('requestedDate') ?? translate('extension.dateHint')}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'extension-date' } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" onClick={submit} disabled={busy || tooShort}>
            {translate('extension.submit')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
