/**
 * 导入批次: choose the file and the batch's particulars, and where the file's attribute names differ from
 * the preset's, override them field by field (or as JSON, e.g. extra type values); the file is uploaded as
 * multipart and the page moves to the import's progress. Field errors from the API (422/409,
 * `errors: { field: message }`) are shown on the fields.
 */
import { Accordion, AccordionDetails, AccordionSummary, Box, Typography } from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import { useState } from 'react';
import { useWatch } from 'react-hook-form';
import {
  Create,
  DateInput,
  FileField,
  FileInput,
  type HttpError,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextInput,
  Toolbar,
  useGetList,
  useNotify,
  useRedirect,
  useTranslate,
} from 'react-admin';
import { httpClient } from '../dataProvider';

interface FormValues {
  file?: { rawFile: File; title?: string };
  [field: string]: unknown;
}

const FIELDS = ['batchCode', 'batchName', 'source', 'kind', 'imagedOn', 'issuedOn', 'preset', 'areaUnit'];

/** The attributes of a mapping that name a field of the file (domain/attribute-mapping.ts). */
export const MAPPED_FIELDS = [
  'code',
  'countyCode',
  'category',
  'area',
  'farmlandArea',
  'imagedBefore',
  'imagedAfter',
  'centreX',
  'centreY',
  'military',
] as const;

interface Preset {
  id: string;
  label: string;
  mapping: Record<string, unknown>;
}

/** The overrides to send: the fields filled in, over what the JSON box gives; null when the JSON is not an object. */
export function mappingOverrides(values: FormValues): Record<string, unknown> | null {
  let extra: Record<string, unknown> = {};
  const json = typeof values.mappingJson === 'string' ? values.mappingJson.trim() : '';
  if (json) {
    try {
      extra = JSON.parse(json);
    } catch {
      return null;
    }
    if (!extra || typeof extra !== 'object' || Array.isArray(extra)) return null;
  }
  const fields = (values.mapping ?? {}) as Record<string, unknown>;
  const filled = Object.fromEntries(MAPPED_FIELDS.map((f) => [f, typeof fields[f] === 'string' ? (fields[f] as string).trim() : '']).filter(([, v]) => v));
  return { ...extra, ...filled };
}

/** Per-field overrides of the chosen preset (its field names as placeholders), and a JSON box for the rest. */
function MappingOverrides({ presets }: { presets: Preset[] }) {
  const translate = useTranslate();
  const presetId = useWatch({ name: 'preset' }) as string | undefined;
  const preset = presets.find((p) => p.id === presetId);
  return (
    <Accordion disableGutters variant="outlined" sx={{ width: '100%', maxWidth: 720, mb: 2 }} data-testid="mapping-overrides">
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography variant="subtitle2">{translate('imports.mappingTitle')}</Typography>
      </AccordionSummary>
      <AccordionDetails>
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1 }}>
          {translate('imports.mappingHint')}
        </Typography>
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, columnGap: 2 }}>
          {MAPPED_FIELDS.map((field) => (
            <TextInput
              key={field}
              source={`mapping.${field}`}
              placeholder={typeof preset?.mapping[field] === 'string' ? (preset.mapping[field] as string) : ''}
              helperText={false}
              slotProps={{ inputLabel: { shrink: true } }}
            />
          ))}
        </Box>
        <TextInput source="mappingJson" multiline minRows={2} fullWidth helperText={translate('imports.mappingJsonHint')} />
      </AccordionDetails>
    </Accordion>
  );
}

function UploadToolbar({ busy }: { busy: boolean }) {
  const translate = useTranslate();
  return (
    <Toolbar>
      <SaveButton label={busy ? translate('imports.uploading') : translate('imports.submit')} disabled={busy} alwaysEnable={!busy} />
    </Toolbar>
  );
}

export function ImportCreate() {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const [busy, setBusy] = useState(false);
  // Until the presets are here the select has no choice for its default (provincial): it shows as loading.
  const { data: presets = [], isPending: presetsPending } = useGetList('import-presets', {
    pagination: { page: 1, perPage: 50 },
    sort: { field: 'id', order: 'ASC' },
  });

  const submit = async (values: FormValues) => {
    const form = new FormData();
    for (const key of FIELDS) {
      const v = values[key];
      if (v !== undefined && v !== null && v !== '') form.append(key, String(v));
    }
    const mapping = mappingOverrides(values);
    if (mapping === null) return { mappingJson: translate('imports.mappingJsonInvalid') };
    if (Object.keys(mapping).length) form.append('mapping', JSON.stringify(mapping));
    if (values.file?.rawFile) form.append('file', values.file.rawFile, values.file.rawFile.name);
    setBusy(true);
    try {
      const { json } = await httpClient('/api/imports', { method: 'POST', body: form });
      redirect('show', 'imports', json.id);
      return undefined;
    } catch (error) {
      const body = (error as HttpError).body as { message?: string; errors?: Record<string, string> } | undefined;
      notify(body?.message ?? (error as Error).message, { type: 'error' });
      // The API names mapping errors mapping.<field>; those of fields without their own input go to the JSON box.
      const errors = { ...body?.errors };
      for (const key of Object.keys(errors)) {
        if (key.startsWith('mapping') && !MAPPED_FIELDS.some((f) => key === `mapping.${f}`)) errors.mappingJson = errors[key];
      }
      return errors;
    } finally {
      setBusy(false);
    }
  };

  const choices = (group: 'kind' | 'unit', ids: string[]) => ids.map((id) => ({ id, name: translate(`imports.${group}.${id}`) }));
  return (
    <Create title={translate('imports.title')}>
      <SimpleForm onSubmit={submit} toolbar={<UploadToolbar busy={busy} />} defaultValues={{ source: 'ministry', kind: 'monthly', preset: 'provincial' }}>
        <FileInput
          source="file"
          validate={required()}
          multiple={false}
          helperText={translate('imports.hintFile')}
          accept={{ 'application/geo+json': ['.geojson', '.json'], 'application/zip': ['.zip'] }}
        >
          <FileField source="src" title="title" />
        </FileInput>
        <TextInput source="batchCode" validate={required()} />
        <TextInput source="batchName" />
        <SelectInput
          source="source"
          validate={required()}
          choices={[
            { id: 'ministry', name: translate('enums.source.ministry') },
            { id: 'province', name: translate('enums.source.province') },
          ]}
        />
        <SelectInput source="kind" validate={required()} choices={choices('kind', ['monthly', 'annual_supplementary', 'mineral'])} />
        <DateInput source="imagedOn" helperText={translate('imports.hintImagedOn')} />
        <DateInput source="issuedOn" helperText={translate('imports.hintIssuedOn')} />
        <SelectInput source="preset" validate={required()} choices={presets} optionText="label" isPending={presetsPending} />
        <SelectInput source="areaUnit" choices={choices('unit', ['m2', 'mu', 'ha'])} />
        <MappingOverrides presets={presets as Preset[]} />
      </SimpleForm>
    </Create>
  );
}
