/**
 * 合并图斑 (docs/domain.md §13): on the county's verification, whoever may complete it ticks the county's open
 * patches to merge with this one (adjacent ones listed first, all shown on the map with this one), states the
 * legality of the merged patch and the reason, and submits; the level above reviews. The server's refusals
 * (not adjacent, other county, determined, in another merge, region does not allow it) show here.
 */
import MergeTypeIcon from '@mui/icons-material/MergeType';
import { Alert, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, Stack, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useGetIdentity, useTranslate } from 'react-admin';
import { httpClient } from '../dataProvider';
import { formatMu } from '../format';
import { joinList, paren } from '../i18n/punctuation';
import { SplitMap } from '../patches/SplitMap';
import type { PatchRecord } from '../patches/types';
import { mayRequestExtension } from './ExtensionRequest';
import type { TaskRecord } from './types';
import { useProposal } from './useProposal';

interface Candidate {
  code: string;
  areaMu: number;
  adjacent: boolean;
  geometry: unknown;
}

export function MergeRequestButton({ task, patch }: { task: TaskRecord; patch?: PatchRecord }) {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { open, setOpen, busy, rejection, sent, submit: propose } = useProposal('merge', task.patchCode);
  const [chosen, setChosen] = useState<string[]>([]);
  const [legality, setLegality] = useState('');
  const [reason, setReason] = useState('');
  const candidates = useQuery({
    queryKey: ['merge-candidates', task.patchCode],
    enabled: open,
    queryFn: async () => (await httpClient(`/api/patches/${encodeURIComponent(task.patchCode)}/merge-candidates`)).json.data as Candidate[],
  });
  if (!patch?.geometry || patch.pendingMerge || patch.pendingSplit || task.type !== 'verification' || !mayRequestExtension(task, identity)) return null;
  if (sent)
    return (
      <Alert severity="info" sx={{ py: 0 }} data-testid="merge-sent">
        {translate('merge.sent')}
      </Alert>
    );
  const list = candidates.data ?? [];
  const toggle = (code: string) => setChosen((c) => (c.includes(code) ? c.filter((x) => x !== code) : [...c, code]));
  const submit = () => propose({ with: chosen, legality, reason: reason.trim() });
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<MergeTypeIcon />} onClick={() => setOpen(true)} data-testid="merge-open">
        {translate('merge.request')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="md">
        <DialogTitle>{translate('merge.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <Alert severity="info">{translate('merge.hint')}</Alert>
            {rejection && (
              <Alert severity="error" data-testid="merge-error">
                {rejection.message}
              </Alert>
            )}
            <SplitMap
              parent={patch.geometry}
              parts={list.filter((c) => c.adjacent || chosen.includes(c.code)).map((c) => ({ label: c.code, geometry: c.geometry }))}
            />
            <Typography variant="subtitle2">{translate('merge.candidates')}</Typography>
            {candidates.isSuccess && list.length === 0 && <Typography variant="body2">{translate('merge.none')}</Typography>}
            <Stack data-testid="merge-candidates">
              {list.map((c) => (
                <FormControlLabel
                  key={c.code}
                  control={<Checkbox checked={chosen.includes(c.code)} onChange={() => toggle(c.code)} slotProps={{ input: { 'aria-label': c.code } }} />}
                  label={`${c.code}${paren(translate, joinList(translate, [`${formatMu(c.areaMu)} ${translate('task.mu')}`, translate(c.adjacent ? 'merge.adjacent' : 'merge.notAdjacent')]))}`}
                  data-testid={`merge-candidate-${c.code}`}
                />
              ))}
            </Stack>
            <TextField
              select
              label={translate('merge.legality')}
              value={legality}
              onChange={(e) => setLegality(e.target.value)}
              required
              slotProps={{ select: { native: true }, htmlInput: { 'data-testid': 'merge-legality' }, inputLabel: { shrink: true } }}
            >
              <option value="" />
              {['legal', 'illegal', 'other'].map((l) => (
                <option key={l} value={l}>
                  {translate(`enums.legality.${l}`)}
                </option>
              ))}
            </TextField>
            <TextField
              label={translate('merge.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              multiline
              minRows={2}
              required
              slotProps={{ htmlInput: { 'data-testid': 'merge-reason' } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" onClick={submit} disabled={busy || chosen.length < 1 || !legality || reason.trim().length < 2} data-testid="merge-submit">
            {translate('merge.submit')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
