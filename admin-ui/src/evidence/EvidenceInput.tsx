/**
 * The evidence list of a determination as a form input: each chosen file is uploaded at once
 * (POST /api/evidence) and becomes an entry { sha256, kind, name, gps, capturedAt } with its warnings.
 * An upload is the patch's at once (its page lists it), the form's list only until the page is left: with
 * `since` (when the task opened), the files uploaded for the patch since then are put back in the list
 * when the form starts again (a reload, a phone that dropped the page).
 */
import AddAPhotoIcon from '@mui/icons-material/AddAPhoto';
import { Button, FormHelperText, LinearProgress, Stack, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useInput, useNotify, useTranslate, type Validator } from 'react-admin';
import { useFormContext } from 'react-hook-form';
import { EVIDENCE_MIME_TYPES } from '../../../domain/evidence';
import { rejectionOf } from '../tasks/forms/submission';
import { uploadEvidence } from './api';
import { usePatchEvidence } from './context';
import { EvidenceCard, type EvidenceEntry } from './EvidenceCard';
import { EvidenceReuse } from './EvidenceReuse';

const ACCEPT = Object.keys(EVIDENCE_MIME_TYPES).join(',');

export function EvidenceInput({
  source,
  patchCode,
  label,
  validate,
  since,
}: {
  source: string;
  patchCode: string;
  label: string;
  validate?: Validator;
  since?: string;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { getValues } = useFormContext();
  const { field, fieldState } = useInput({ source, defaultValue: [], validate });
  const [uploading, setUploading] = useState<string[]>([]);
  const entries = (field.value as EvidenceEntry[] | undefined) ?? [];
  // Read the current list at the moment of change: several uploads finish one after another.
  const current = () => (getValues(source) as EvidenceEntry[] | undefined) ?? [];

  const add = (entry: EvidenceEntry) => {
    if (current().some((e) => e.sha256 === entry.sha256)) return;
    field.onChange([...current(), entry]);
  };
  const remove = (sha256: string) => field.onChange(current().filter((e) => e.sha256 !== sha256));

  // Put back what was uploaded for the patch since the task opened (once, when the form starts).
  const { data: uploaded } = usePatchEvidence(patchCode, { enabled: Boolean(since) });
  const restored = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: restores once, when the uploads arrive (the ref keeps it to once)
  useEffect(() => {
    if (restored.current || !since || !uploaded) return;
    restored.current = true;
    const from = Date.parse(since);
    const missing = uploaded.filter((u) => u.uploadedAt && Date.parse(u.uploadedAt) >= from && !current().some((e) => e.sha256 === u.sha256));
    if (missing.length) {
      field.onChange([
        ...current(),
        ...missing.map((u) => ({ sha256: u.sha256, kind: u.kind, name: u.name, gps: u.gps, capturedAt: u.capturedAt, warnings: u.warnings })),
      ]);
    }
  }, [uploaded, since]);

  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    for (const file of files) {
      setUploading((u) => [...u, file.name]);
      try {
        const res = await uploadEvidence(patchCode, file);
        add({ sha256: res.sha256, kind: res.kind, name: res.name, gps: res.gps, capturedAt: res.capturedAt, warnings: res.warnings });
        // The upload is in the patch's timeline and evidence list now.
        void queryClient.invalidateQueries({ queryKey: ['audit'] });
        void queryClient.invalidateQueries({ queryKey: ['evidence'] });
      } catch (err) {
        const r = rejectionOf(err);
        notify('evidence.failed', { type: 'error', messageArgs: { message: Object.values(r.errors)[0] ?? r.message } });
      } finally {
        setUploading((u) => u.filter((n) => n !== file.name));
      }
    }
  };

  return (
    <Stack spacing={1} sx={{ my: 1 }}>
      <Typography variant="subtitle2">{translate(label)}</Typography>
      {entries.length === 0 && uploading.length === 0 && (
        <Typography variant="body2" color="text.secondary">
          {translate('evidence.none')}
        </Typography>
      )}
      {entries.map((e) => (
        <EvidenceCard key={e.sha256} entry={e} onRemove={() => remove(e.sha256)} />
      ))}
      {uploading.map((name) => (
        <Stack key={name} spacing={0.5}>
          <Typography variant="caption">{translate('evidence.uploading', { name })}</Typography>
          <LinearProgress />
        </Stack>
      ))}
      <EvidenceReuse patchCode={patchCode} chosen={entries.map((e) => e.sha256)} onChoose={add} />
      <Button component="label" variant="outlined" startIcon={<AddAPhotoIcon />} sx={{ alignSelf: 'flex-start' }}>
        {translate('evidence.upload')}
        <input hidden type="file" accept={ACCEPT} multiple onChange={onFiles} data-testid="evidence-file-input" />
      </Button>
      {fieldState.error?.message && <FormHelperText error>{translate(fieldState.error.message, { _: fieldState.error.message })}</FormHelperText>}
    </Stack>
  );
}
