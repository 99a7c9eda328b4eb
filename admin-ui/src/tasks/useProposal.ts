/**
 * A county's proposal about its patch that the level above reviews (拆分, 合并): the dialog's open state, the
 * POST to /api/patches/:code/<kind>, its refusal shown in the dialog, and "sent" once accepted.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify } from 'react-admin';
import { httpClient } from '../dataProvider';
import { rejectionOf, type ServerRejection } from './forms/submission';

export function useProposal(kind: 'split' | 'merge', patchCode: string) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [rejection, setRejection] = useState<ServerRejection>();
  const [sent, setSent] = useState(false);
  const submit = async (body: unknown) => {
    setBusy(true);
    setRejection(undefined);
    try {
      await httpClient(`/api/patches/${encodeURIComponent(patchCode)}/${kind}`, { method: 'POST', body: JSON.stringify(body) });
      notify(`${kind}.sent`, { type: 'success' });
      setOpen(false);
      setSent(true);
      await queryClient.invalidateQueries();
    } catch (err) {
      setRejection(rejectionOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { open, setOpen, busy, rejection, setRejection, sent, submit };
}
