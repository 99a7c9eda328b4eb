/**
 * 参考图层 (docs/domain.md §13): the layers in force for a region (its own and those of the regions above),
 * every version with its features, total area, uploader and which one is current, and the upload of a new
 * version (multipart with its progress); the API's 422 names the field (a broken file, a wrong CRS, a file
 * too large) and is shown on it; the result gives the features imported and the rows skipped with why.
 */
import { Alert, Box, Card, CardContent, Chip, LinearProgress, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useWatch } from 'react-hook-form';
import {
  FileField,
  FileInput,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Title,
  Toolbar,
  useGetIdentity,
  useNotify,
  useTranslate,
} from 'react-admin';
import { httpClient } from '../dataProvider';
import { formatDateTime, formatMu } from '../format';
import { rejectionOf } from '../tasks/forms/submission';
import { JurisdictionInput } from './RegionInput';
import { uploadWithProgress } from './upload';

export const LAYER_KINDS = ['farmland', 'basic_farmland', 'red_line', 'urban_boundary', 'approval', 'filing', 'supply'] as const;

interface LayerVersion {
  id: number;
  regionCode: string;
  kind: string;
  version: number;
  name: string;
  status: string;
  featureCount: number;
  rejected: number;
  totalMu: number;
  createdByName: string | null;
  createdAt: string;
  current: boolean;
}

interface UploadResult {
  version: number;
  featureCount: number;
  totalMu: number;
  rejected: number;
  rejections: { seq: number; reasons: { rule: string; message: string }[] }[];
}

const layersKey = (regionCode: string | undefined) => ['reference-layers', regionCode];

function LayerTable() {
  const translate = useTranslate();
  const regionCode = useWatch({ name: 'regionCode' }) as string | undefined;
  const { data, isPending } = useQuery({
    queryKey: layersKey(regionCode),
    queryFn: async () => (await httpClient(`/api/layers?regionCode=${encodeURIComponent(regionCode!)}`)).json.data as LayerVersion[],
    enabled: Boolean(regionCode && /^\d{6}$/.test(regionCode)),
  });
  const col = (key: string) => translate(`layers.col.${key}`);
  return (
    <Box sx={{ width: '100%', mb: 2 }}>
      <Typography variant="subtitle1" gutterBottom>
        {translate('layers.listTitle')}
      </Typography>
      {isPending && regionCode ? <LinearProgress /> : null}
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" data-testid="layer-list">
          <TableHead>
            <TableRow>
              {['kind', 'name', 'region', 'version', 'features', 'area', 'uploadedBy', 'uploadedAt', 'status'].map((k) => (
                <TableCell key={k}>{col(k)}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {(data ?? []).map((l) => (
              <TableRow key={l.id} data-testid="layer-row" data-kind={l.kind} data-version={l.version} data-current={l.current}>
                <TableCell>{translate(`layers.kind.${l.kind}`, { _: l.kind })}</TableCell>
                <TableCell>{l.name}</TableCell>
                <TableCell>{l.regionCode}</TableCell>
                <TableCell>
                  {`v${l.version}`}
                  {l.current && <Chip size="small" color="success" label={translate('layers.current')} sx={{ ml: 1 }} />}
                </TableCell>
                <TableCell align="right">{l.featureCount}</TableCell>
                <TableCell align="right">{formatMu(l.totalMu)}</TableCell>
                <TableCell>{l.createdByName ?? '—'}</TableCell>
                <TableCell>{formatDateTime(l.createdAt)}</TableCell>
                <TableCell>{translate(`layers.status.${l.status}`, { _: l.status })}</TableCell>
              </TableRow>
            ))}
            {data && !data.length && (
              <TableRow>
                <TableCell colSpan={9}>{translate('layers.empty')}</TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}

function UploadToolbar({ progress }: { progress: number | null }) {
  const translate = useTranslate();
  const busy = progress !== null;
  const label = !busy
    ? translate('layers.submit')
    : progress < 1
      ? translate('layers.uploading', { percent: Math.round(progress * 100) })
      : translate('layers.importing');
  return (
    <Toolbar sx={{ flexDirection: 'column', alignItems: 'stretch', gap: 1 }}>
      {busy && <LinearProgress variant={progress < 1 ? 'determinate' : 'indeterminate'} value={progress * 100} data-testid="layer-upload-progress" />}
      <Box>
        <SaveButton label={label} disabled={busy} alwaysEnable={!busy} />
      </Box>
    </Toolbar>
  );
}

function Result({ result }: { result: UploadResult }) {
  const translate = useTranslate();
  return (
    <Alert severity={result.rejected ? 'warning' : 'success'} data-testid="layer-upload-result" sx={{ mb: 2 }}>
      {translate('layers.result', { version: result.version, features: result.featureCount, area: formatMu(result.totalMu) })}
      {result.rejected > 0 && (
        <>
          <div>{translate('layers.skipped', { smart_count: result.rejected })}</div>
          <ul style={{ margin: 0 }}>
            {result.rejections.map((r) => (
              <li key={r.seq}>
                {translate('layers.row', { seq: r.seq + 1 })}
                {r.reasons.map((x) => x.message).join('；')}
              </li>
            ))}
          </ul>
        </>
      )}
    </Alert>
  );
}

export function LayersPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { identity, isPending } = useGetIdentity();
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<UploadResult>();

  const submit = async (values: Record<string, unknown>) => {
    const form = new FormData();
    for (const key of ['regionCode', 'kind', 'name']) {
      const v = values[key];
      if (typeof v === 'string' && v.trim()) form.append(key, v.trim());
    }
    const file = values.file as { rawFile?: File } | undefined;
    if (file?.rawFile) form.append('file', file.rawFile, file.rawFile.name);
    setResult(undefined);
    setProgress(0);
    try {
      const answer = (await uploadWithProgress('/api/layers', form, setProgress)) as UploadResult;
      setResult(answer);
      await queryClient.invalidateQueries({ queryKey: layersKey(values.regionCode as string) });
      return undefined;
    } catch (error) {
      const r = rejectionOf(error);
      notify(r.message, { type: 'error' });
      return r.errors;
    } finally {
      setProgress(null);
    }
  };

  if (isPending || !identity) return <LinearProgress />;
  return (
    <Card sx={{ mt: 2 }} data-testid="layers-page">
      <Title title={translate('layers.title')} />
      <CardContent sx={{ pb: 0 }}>{result && <Result result={result} />}</CardContent>
      <SimpleForm onSubmit={submit} toolbar={<UploadToolbar progress={progress} />} defaultValues={{ regionCode: identity.regionCode, kind: 'farmland' }}>
        <JurisdictionInput label="layers.region" />
        <LayerTable />
        <Typography variant="subtitle1">{translate('layers.uploadTitle')}</Typography>
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
          {translate('layers.uploadHint')}
        </Typography>
        <FileInput
          source="file"
          label="layers.file"
          validate={required()}
          multiple={false}
          helperText={translate('layers.fileHint')}
          accept={{ 'application/geo+json': ['.geojson', '.json'], 'application/zip': ['.zip'], 'application/geopackage+sqlite3': ['.gpkg'] }}
        >
          <FileField source="src" title="title" />
        </FileInput>
        <SelectInput
          source="kind"
          label="layers.kindLabel"
          validate={required()}
          choices={LAYER_KINDS.map((id) => ({ id, name: translate(`layers.kind.${id}`) }))}
        />
        <TextInput source="name" label="layers.name" helperText={translate('layers.nameHint')} sx={{ minWidth: 320 }} />
      </SimpleForm>
    </Card>
  );
}
