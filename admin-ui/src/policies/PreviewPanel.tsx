/**
 * Previewing a change: the due dates it gives for sample events (current → proposed), and how many
 * running workflows and open tasks of the subtree it moves (POST /api/regions/:code/policy/preview).
 */
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import PreviewIcon from '@mui/icons-material/Preview';
import { Alert, Box, Button, IconButton, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useState } from 'react';
import { useTranslate } from 'react-admin';
import { formatLocalDate } from '../../../domain/deadlines';
import type { PolicyOverrides } from '../../../domain/policy';
import { BATCH_KINDS } from '../../../domain/types';
import { formatDate } from '../format';
import { paren } from '../i18n/punctuation';
import { rejectionOf, type ServerRejection } from '../tasks/forms/submission';
import { previewPolicy, type PreviewAnswer, type PreviewSample } from './api';
import { overrideErrors } from './context';
import { Refusal } from './Refusal';

const SAMPLE_TYPES = [
  'verification',
  'correction',
  'review',
  'direct_determination',
  'onsite_check',
  'extension_decision',
  'case_register',
  'stop_order',
  'case_decision',
  'transfer_feedback',
  'rectification_plan',
  'rectification',
  'acceptance_county',
  'recheck',
];

interface SampleRow {
  taskType: string;
  level: 'city' | 'province';
  batchKind: string;
  issued: string;
  event: string;
}

const today = () => formatLocalDate(Date.now());
/** A local date as an instant in the morning, Asia/Shanghai. */
const instant = (date: string) => `${date}T10:00:00+08:00`;

/** The inputs of a sample row, by the field the server names ("samples.0.issuedAt"). */
const SAMPLE_FIELDS = ['taskType', 'level', 'batchKind', 'issuedAt', 'eventAt'];

export function PreviewPanel({
  regionCode,
  draft,
  onResult,
  onErrors,
}: {
  regionCode: string;
  draft: PolicyOverrides;
  onResult?: (a: PreviewAnswer | undefined) => void /** The overrides' field errors, for the editor's inputs. */;
  onErrors?: (errors: Record<string, string>) => void;
}) {
  const translate = useTranslate();
  const [samples, setSamples] = useState<SampleRow[]>([{ taskType: 'verification', level: 'city', batchKind: 'monthly', issued: today(), event: '' }]);
  const [answer, setAnswer] = useState<PreviewAnswer>();
  const [previewedFor, setPreviewedFor] = useState<string>();
  const [rejection, setRejection] = useState<ServerRejection>();
  const [busy, setBusy] = useState(false);
  const stale = previewedFor !== undefined && previewedFor !== JSON.stringify(draft);
  const update = (i: number, patch: Partial<SampleRow>) => setSamples(samples.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const sampleError = (i: number, f: string) => rejection?.errors[`samples.${i}.${f}`];
  const errorProps = (i: number, f: string) => ({ error: Boolean(sampleError(i, f)), helperText: sampleError(i, f) });

  const run = async () => {
    setBusy(true);
    setRejection(undefined);
    onErrors?.({});
    try {
      const body: PreviewSample[] = samples.map((s) => ({
        taskType: s.taskType,
        ...(s.taskType === 'review' ? { level: s.level } : {}),
        batchKind: s.batchKind,
        issuedAt: instant(s.issued),
        ...(s.event ? { eventAt: instant(s.event) } : {}),
      }));
      const a = await previewPolicy(regionCode, draft, body);
      setAnswer(a);
      setPreviewedFor(JSON.stringify(draft));
      onResult?.(a);
    } catch (err) {
      const r = rejectionOf(err);
      setRejection(r);
      onErrors?.(overrideErrors(r.errors));
      setAnswer(undefined);
      onResult?.(undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack spacing={1.5} data-testid="policy-preview">
      <Typography variant="body2" color="text.secondary">
        {translate('policy.previewHint')}
      </Typography>
      {samples.map((s, i) => (
        <Stack key={i} direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, alignItems: 'center' }}>
          <TextField
            select
            size="small"
            label={translate('policy.sample.taskType')}
            value={s.taskType}
            onChange={(e) => update(i, { taskType: e.target.value })}
            {...errorProps(i, 'taskType')}
            sx={{ minWidth: 150 }}
          >
            {SAMPLE_TYPES.map((t) => (
              <MenuItem key={t} value={t}>
                {translate(`enums.taskType.${t}`)}
              </MenuItem>
            ))}
          </TextField>
          {s.taskType === 'review' && (
            <TextField
              select
              size="small"
              label={translate('policy.level')}
              value={s.level}
              onChange={(e) => update(i, { level: e.target.value as 'city' | 'province' })}
              sx={{ minWidth: 90 }}
            >
              <MenuItem value="city">{translate('enums.reviewLevel.city')}</MenuItem>
              <MenuItem value="province">{translate('enums.reviewLevel.province')}</MenuItem>
            </TextField>
          )}
          <TextField
            select
            size="small"
            label={translate('policy.sample.batchKind')}
            value={s.batchKind}
            onChange={(e) => update(i, { batchKind: e.target.value })}
            {...errorProps(i, 'batchKind')}
            sx={{ minWidth: 130 }}
          >
            {BATCH_KINDS.map((k) => (
              <MenuItem key={k} value={k}>
                {translate(`enums.batchKind.${k}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            type="date"
            size="small"
            label={translate('policy.sample.issuedAt')}
            value={s.issued}
            onChange={(e) => update(i, { issued: e.target.value })}
            {...errorProps(i, 'issuedAt')}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            type="date"
            size="small"
            label={translate('policy.sample.eventAt')}
            value={s.event}
            onChange={(e) => update(i, { event: e.target.value })}
            {...errorProps(i, 'eventAt')}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <IconButton
            size="small"
            aria-label={translate('policy.sample.remove')}
            disabled={samples.length === 1}
            onClick={() => setSamples(samples.filter((_, j) => j !== i))}
          >
            <DeleteIcon fontSize="small" />
          </IconButton>
        </Stack>
      ))}
      <Stack direction="row" spacing={1}>
        <Button size="small" startIcon={<AddIcon />} onClick={() => setSamples([...samples, { ...samples[samples.length - 1] }])}>
          {translate('policy.sample.add')}
        </Button>
        <Button variant="contained" size="small" startIcon={<PreviewIcon />} onClick={run} disabled={busy}>
          {translate('policy.preview')}
        </Button>
      </Stack>
      {rejection && (
        <Refusal rejection={rejection} testId="preview-errors" shownHere={(p) => /^samples\.\d+\.(\w+)$/.test(p) && SAMPLE_FIELDS.includes(p.split('.')[2])} />
      )}
      {answer && (
        <>
          {stale && <Alert severity="warning">{translate('policy.previewStale')}</Alert>}
          <Alert severity={answer.affected.workflows ? 'warning' : 'info'} data-testid="preview-affected">
            {translate('policy.affected', { workflows: answer.affected.workflows, tasks: answer.affected.tasks, open: answer.affected.openTasksInSubtree })}
          </Alert>
          <Box sx={{ overflowX: 'auto' }}>
            {/* Dates only (a due instant is the end of its day), each cell on one line: the table scrolls rather than wraps. */}
            <Table size="small" data-testid="preview-samples" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('policy.sample.taskType')}</TableCell>
                  <TableCell>{translate('policy.sample.issuedAt')}</TableCell>
                  <TableCell>{translate('policy.sample.current')}</TableCell>
                  <TableCell>{translate('policy.sample.proposed')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {answer.samples.map((s, i) => {
                  const changed = s.currentDueAt !== s.proposedDueAt;
                  return (
                    <TableRow key={i} data-changed={changed}>
                      <TableCell>
                        {translate(`enums.taskType.${s.taskType}`)}
                        {s.level ? paren(translate, translate(`enums.reviewLevel.${s.level}`)) : ''}
                      </TableCell>
                      <TableCell>{formatDate(s.issuedAt)}</TableCell>
                      <TableCell>{formatDate(s.currentDueAt)}</TableCell>
                      <TableCell sx={{ fontWeight: changed ? 600 : 400, color: changed ? 'warning.dark' : undefined }}>{formatDate(s.proposedDueAt)}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </Box>
        </>
      )}
    </Stack>
  );
}
