/** One import: its progress bar (polled while it runs), its batch with the T+10 check, and the report. */
import { Alert, Box, Card, CardContent, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { Show, useRecordContext, useTranslate } from 'react-admin';
import { httpClient } from '../dataProvider';
import { ImportProgress, isFinished, StatusChip, type ImportRecord } from './ImportStatus';
import { ExportButtons } from '../common/ExportButtons';

interface Finding {
  rule: string;
  message: string;
}
interface ReportItem {
  seq: number;
  feature: number;
  code: string | null;
  military: boolean;
  reasons: Finding[];
  warnings: Finding[];
}
interface ImportView extends ImportRecord {
  batchCode: string;
  fileName: string;
  crs: string;
  accepted: number;
  started: number;
  existing: number;
  rejected: number;
  warned: number;
  military: number;
  /** Said when the file had no valid feature and so created no batch. */
  notice?: string | null;
  batch: null | {
    name: string;
    source: string;
    kind: string;
    imagedOn: string | null;
    issuedOn: string | null;
    t10: null | { applies?: boolean; late: boolean; lateDays: number; dueOn: string };
  };
}
interface Report extends ImportView {
  hints: Finding[];
  rejectedFeatures: ReportItem[];
  warnedFeatures: ReportItem[];
}

function Counts({ record }: { record: ImportView }) {
  const translate = useTranslate();
  const items: Array<[keyof ImportView, 'default' | 'success' | 'error' | 'warning' | 'info']> = [
    ['total', 'default'],
    ['accepted', 'success'],
    ['started', 'info'],
    ['existing', 'default'],
    ['rejected', 'error'],
    ['warned', 'warning'],
    ['military', 'default'],
  ];
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {items.map(([key, color]) => (
        <Chip key={key} color={color} variant="outlined" label={`${translate(`resources.imports.fields.${key}`)} ${record[key]}`} />
      ))}
    </Stack>
  );
}

function BatchLine({ record }: { record: ImportView }) {
  const translate = useTranslate();
  const b = record.batch;
  if (!b) return null;
  const t10 = b.t10;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
      <Typography variant="body2">
        {translate('imports.batch')} {record.batchCode}（{b.name}）· {translate(`enums.source.${b.source}`)} · {translate(`imports.kind.${b.kind}`)} ·{' '}
        {translate('resources.imports.fields.imagedOn')} {b.imagedOn ?? '—'} · {translate('resources.imports.fields.issuedOn')} {b.issuedOn}
      </Typography>
      {t10?.applies === false ? (
        <Chip size="small" label={translate('imports.t10NotApplicable')} />
      ) : t10 ? (
        <Chip
          size="small"
          color={t10.late ? 'error' : 'success'}
          label={t10.late ? translate('imports.t10Late', { days: t10.lateDays }) : translate('imports.t10OnTime')}
        />
      ) : (
        <Chip size="small" label={translate('imports.t10Unknown')} />
      )}
    </Stack>
  );
}

function FindingsTable({ title, items, pick }: { title: string; items: ReportItem[]; pick: (i: ReportItem) => Finding[] }) {
  const translate = useTranslate();
  return (
    <Box>
      <Typography variant="subtitle1" sx={{ mt: 2 }}>
        {title}
      </Typography>
      {items.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('imports.none')}
        </Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('imports.feature')}</TableCell>
              <TableCell>{translate('imports.code')}</TableCell>
              <TableCell>{translate('imports.reasons')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((i) => (
              <TableRow key={i.seq}>
                <TableCell>{i.feature}</TableCell>
                <TableCell>{i.code ?? translate('imports.classified')}</TableCell>
                <TableCell>
                  {pick(i)
                    .map((f) => f.message)
                    .join('；')}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

function ReportView({ id }: { id: string }) {
  const translate = useTranslate();
  const [data, setData] = useState<Report>();
  useEffect(() => {
    let live = true;
    httpClient(`/api/imports/${id}/report`).then(({ json }) => live && setData(json as Report));
    return () => {
      live = false;
    };
  }, [id]);
  if (!data) return null;
  return (
    <Box>
      {data.hints.map((h) => (
        <Alert key={h.rule} severity="warning" sx={{ mt: 2 }}>
          {h.message}
        </Alert>
      ))}
      <FindingsTable title={translate('imports.rejectedList', { count: data.rejectedFeatures.length })} items={data.rejectedFeatures} pick={(i) => i.reasons} />
      <FindingsTable title={translate('imports.warnedList', { count: data.warnedFeatures.length })} items={data.warnedFeatures} pick={(i) => i.warnings} />
    </Box>
  );
}

function ImportDetail() {
  const record = useRecordContext<ImportView>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Card variant="outlined">
      <CardContent>
        <Stack spacing={2}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Typography variant="h6">{record.fileName}</Typography>
            <StatusChip record={record} />
            <Typography variant="body2" color="text.secondary">
              {translate('resources.imports.fields.crs')}：{record.crs}
            </Typography>
          </Stack>
          <ImportProgress record={record} />
          <BatchLine record={record} />
          <Counts record={record} />
          {isFinished(record.status) && record.batchCode && <ExportButtons query={{ batchCode: record.batchCode }} />}
          {record.error && <Alert severity="error">{record.error}</Alert>}
          {record.notice && <Alert severity="warning">{record.notice}</Alert>}
          {isFinished(record.status) && <ReportView id={record.id} />}
        </Stack>
      </CardContent>
    </Card>
  );
}

export function ImportShow() {
  return (
    <Show queryOptions={{ refetchInterval: (query) => (isFinished((query.state.data as ImportRecord | undefined)?.status) ? false : 1000) }} actions={false}>
      <ImportDetail />
    </Show>
  );
}
