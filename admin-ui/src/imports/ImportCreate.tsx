/**
 * 导入批次: choose the file and the batch's particulars; the file is uploaded as multipart and the page
 * moves to the import's progress. Field errors from the API (422/409, `errors: { field: message }`) are
 * shown on the fields.
 */
import { useState } from 'react';
import {
  Create,
  DateInput,
  FileField,
  FileInput,
  HttpError,
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
  const { data: presets = [] } = useGetList('import-presets', { pagination: { page: 1, perPage: 50 }, sort: { field: 'id', order: 'ASC' } });

  const submit = async (values: FormValues) => {
    const form = new FormData();
    for (const key of FIELDS) {
      const v = values[key];
      if (v !== undefined && v !== null && v !== '') form.append(key, String(v));
    }
    if (values.file?.rawFile) form.append('file', values.file.rawFile, values.file.rawFile.name);
    setBusy(true);
    try {
      const { json } = await httpClient('/api/imports', { method: 'POST', body: form });
      redirect('show', 'imports', json.id);
      return undefined;
    } catch (error) {
      const body = (error as HttpError).body as { message?: string; errors?: Record<string, string> } | undefined;
      notify(body?.message ?? (error as Error).message, { type: 'error' });
      return body?.errors;
    } finally {
      setBusy(false);
    }
  };

  const choices = (group: 'kind' | 'unit', ids: string[]) => ids.map((id) => ({ id, name: translate(`imports.${group}.${id}`) }));
  return (
    <Create title={translate('imports.title')}>
      <SimpleForm onSubmit={submit} toolbar={<UploadToolbar busy={busy} />} defaultValues={{ source: 'ministry', kind: 'monthly', preset: 'provincial' }}>
        <FileInput source="file" validate={required()} multiple={false} helperText={translate('imports.hintFile')} accept={{ 'application/geo+json': ['.geojson', '.json'], 'application/zip': ['.zip'] }}>
          <FileField source="src" title="title" />
        </FileInput>
        <TextInput source="batchCode" validate={required()} />
        <TextInput source="batchName" />
        <SelectInput source="source" validate={required()} choices={[{ id: 'ministry', name: translate('enums.source.ministry') }, { id: 'province', name: translate('enums.source.province') }]} />
        <SelectInput source="kind" validate={required()} choices={choices('kind', ['monthly', 'annual_supplementary', 'mineral'])} />
        <DateInput source="imagedOn" helperText={translate('imports.hintImagedOn')} />
        <DateInput source="issuedOn" helperText={translate('imports.hintIssuedOn')} />
        <SelectInput source="preset" validate={required()} choices={presets} optionText="label" />
        <SelectInput source="areaUnit" choices={choices('unit', ['m2', 'mu', 'ha'])} />
      </SimpleForm>
    </Create>
  );
}
