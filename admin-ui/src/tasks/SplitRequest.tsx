/**
 * 拆分图斑: on the county's verification (or correction), whoever may complete it uploads the children (GeoJSON,
 * one polygon feature per child), sees them on the map over the patch, gives a reason and submits; the level
 * above reviews. The server checks that they lie within the patch and add up to its area; its errors show here.
 */
import CallSplitIcon from '@mui/icons-material/CallSplit';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useGetIdentity, useTranslate } from 'react-admin';
import { SplitMap } from '../patches/SplitMap';
import type { PatchRecord } from '../patches/types';
import { mayRequestExtension } from './ExtensionRequest';
import type { TaskRecord } from './types';
import { useProposal } from './useProposal';

type Polygonal = { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };

/** The polygons of a GeoJSON text: a FeatureCollection, a Feature or a bare geometry. */
export function polygonsOf(text: string): Polygonal[] {
  const json = JSON.parse(text) as { type?: string; features?: Array<{ geometry?: Polygonal }>; geometry?: Polygonal };
  const geometries =
    json.type === 'FeatureCollection' ? (json.features ?? []).map((f) => f.geometry) : json.type === 'Feature' ? [json.geometry] : [json as Polygonal];
  return geometries.filter((g): g is Polygonal => Boolean(g) && (g!.type === 'Polygon' || g!.type === 'MultiPolygon'));
}

export function SplitRequestButton({ task, patch }: { task: TaskRecord; patch?: PatchRecord }) {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { open, setOpen, busy, rejection, setRejection, sent, submit: propose } = useProposal('split', task.patchCode);
  const [children, setChildren] = useState<Polygonal[]>([]);
  const [fileError, setFileError] = useState<string>();
  const [reason, setReason] = useState('');
  if (!patch?.geometry || patch.pendingSplit || !['verification', 'correction'].includes(task.type) || !mayRequestExtension(task, identity)) return null;
  if (sent)
    return (
      <Alert severity="info" sx={{ py: 0 }} data-testid="split-sent">
        {translate('split.sent')}
      </Alert>
    );

  const load = async (file: File | undefined) => {
    if (!file) return;
    setFileError(undefined);
    setRejection(undefined);
    try {
      const polygons = polygonsOf(await file.text());
      if (!polygons.length) throw new Error('no polygons');
      setChildren(polygons);
    } catch {
      setChildren([]);
      setFileError(translate('split.badFile'));
    }
  };
  const submit = () => propose({ children: children.map((geometry) => ({ geometry })), reason: reason.trim() });
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<CallSplitIcon />} onClick={() => setOpen(true)} data-testid="split-open">
        {translate('split.request')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="md">
        <DialogTitle>{translate('split.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <Alert severity="info">{translate('split.hint')}</Alert>
            {rejection && (
              <Alert severity="error" data-testid="split-error">
                {rejection.message}
              </Alert>
            )}
            <Button variant="outlined" component="label">
              {translate('split.upload')}
              <input
                hidden
                type="file"
                accept=".geojson,.json,application/geo+json,application/json"
                data-testid="split-file"
                onChange={(e) => load(e.target.files?.[0])}
              />
            </Button>
            {fileError && <Alert severity="warning">{fileError}</Alert>}
            {children.length > 0 && <Typography variant="body2">{translate('split.loaded', { n: children.length })}</Typography>}
            <SplitMap parent={patch.geometry} parts={children.map((geometry, i) => ({ label: `_${i + 1}`, geometry }))} />
            <TextField
              label={translate('split.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              multiline
              minRows={2}
              required
              slotProps={{ htmlInput: { 'data-testid': 'split-reason' } }}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" onClick={submit} disabled={busy || children.length < 2 || reason.trim().length < 2} data-testid="split-submit">
            {translate('split.submit')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
