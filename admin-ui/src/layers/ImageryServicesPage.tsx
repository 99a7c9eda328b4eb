/**
 * 影像服务: a region's WMTS/XYZ imagery services (天地图 with its key, a provincial service), edited as a list
 * and saved whole (PUT /api/regions/:code/imagery-services); the API's validation errors are shown on their
 * fields, and a small map previews a service's tiles. The patch pages draw them under the batch's imagery.
 * A newly added service's origin is let through the page's CSP once saved (the preview needs a reload then).
 */
import { Box, Button, Card, CardContent, LinearProgress, Typography } from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import 'leaflet/dist/leaflet.css';
import { useEffect, useState } from 'react';
import { useWatch } from 'react-hook-form';
import {
  ArrayInput,
  Form,
  required,
  ResourceContextProvider,
  SaveButton,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  Title,
  Toolbar,
  useGetIdentity,
  useSimpleFormIterator,
  useSimpleFormIteratorItem,
  useNotify,
  useTranslate,
} from 'react-admin';
import { MapContainer, ScaleControl, TileLayer } from 'react-leaflet';
import { httpClient } from '../dataProvider';
import type { ImageryService } from '../imagery/api';
import { tileLayerProps } from '../imagery/tileOptions';
import { rejectionOf } from '../tasks/forms/submission';
import { JurisdictionInput } from './RegionInput';

const servicesKey = (code: string) => ['imagery-services', code];

/** The region whose services are edited (a form of its own, so switching it reloads the list). */
function RegionPicker(props: { onChange: (code: string) => void }) {
  const code = useWatch({ name: 'regionCode' }) as string | undefined;
  const { onChange } = props;
  useEffect(() => {
    if (code) onChange(code);
  }, [code, onChange]);
  return <JurisdictionInput label="imageryServices.region" />;
}

/** A small map of the service's tiles. */
function Preview({ index }: { index: number }) {
  const translate = useTranslate();
  const service = useWatch({ name: `services.${index}` }) as Partial<ImageryService> | undefined;
  const url = service?.url?.trim();
  if (!url) return null;
  return (
    <Box sx={{ width: '100%' }}>
      <Typography variant="caption" color="text.secondary">
        {translate('imageryServices.preview')}
      </Typography>
      <Box sx={{ height: 200, borderRadius: 1, overflow: 'hidden', '& .leaflet-container': { height: '100%' } }} data-testid={`service-preview-${index}`}>
        <MapContainer center={[38.47, 106.28]} zoom={10} scrollWheelZoom={false}>
          <TileLayer
            key={`${url}|${service?.key ?? ''}|${service?.subdomains ?? ''}`}
            {...tileLayerProps({ url, attribution: service?.attribution ?? '', subdomains: service?.subdomains, key: service?.key })}
          />
          <ScaleControl imperial={false} />
        </MapContainer>
      </Box>
    </Box>
  );
}

function PreviewToggle(_props: { source?: string }) {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const { index } = useSimpleFormIteratorItem();
  return (
    <Box sx={{ width: '100%' }}>
      <Button size="small" onClick={() => setOpen(!open)} data-testid={`service-preview-toggle-${index}`}>
        {translate('imageryServices.preview')}
      </Button>
      {open && <Preview index={index} />}
    </Box>
  );
}

function AddServiceButton() {
  const translate = useTranslate();
  const { add } = useSimpleFormIterator();
  return (
    <Button size="small" onClick={() => add({ phase: 'after' })} data-testid="service-add">
      {translate('imageryServices.add')}
    </Button>
  );
}

function ServicesForm({ regionCode }: { regionCode: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const { data, isPending } = useQuery({
    queryKey: servicesKey(regionCode),
    queryFn: async () => (await httpClient(`/api/regions/${regionCode}/imagery-services`)).json.services as ImageryService[],
  });
  if (isPending || !data) return <LinearProgress />;

  const submit = async (values: Record<string, unknown>) => {
    const clean = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const services = ((values.services as Partial<ImageryService>[] | undefined) ?? []).map((s) => ({
      name: s.name ?? '',
      url: s.url ?? '',
      attribution: s.attribution ?? '',
      phase: s.phase ?? 'after',
      ...(clean(s.subdomains) && { subdomains: clean(s.subdomains) }),
      ...(clean(s.key) && { key: clean(s.key) }),
    }));
    try {
      await httpClient(`/api/regions/${regionCode}/imagery-services`, { method: 'PUT', body: JSON.stringify({ services }) });
      notify('imageryServices.saved', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: servicesKey(regionCode) });
      return undefined;
    } catch (error) {
      const r = rejectionOf(error);
      notify(r.message, { type: 'error' });
      return r.errors;
    }
  };

  return (
    <SimpleForm
      key={regionCode}
      onSubmit={submit}
      defaultValues={{ services: data }}
      toolbar={
        <Toolbar>
          <SaveButton label={translate('imageryServices.save')} alwaysEnable />
        </Toolbar>
      }
    >
      <Typography variant="caption" color="text.secondary" component="p">
        {translate('imageryServices.hint')}
      </Typography>
      <ArrayInput source="services" label={false}>
        <SimpleFormIterator inline={false} disableReordering addButton={<AddServiceButton />}>
          <TextInput source="name" label="imageryServices.fields.name" validate={required()} />
          <TextInput source="url" label="imageryServices.fields.url" helperText={translate('imageryServices.fields.urlHint')} validate={required()} fullWidth />
          <TextInput source="attribution" label="imageryServices.fields.attribution" validate={required()} />
          <TextInput source="subdomains" label="imageryServices.fields.subdomains" helperText={false} />
          <SelectInput
            source="phase"
            label="imageryServices.fields.phase"
            defaultValue="after"
            choices={(['before', 'after', 'both'] as const).map((id) => ({ id, name: translate(`imageryServices.phase.${id}`) }))}
          />
          <TextInput source="key" label="imageryServices.fields.key" helperText={false} />
          <PreviewToggle />
        </SimpleFormIterator>
      </ArrayInput>
    </SimpleForm>
  );
}

export function ImageryServicesPage() {
  const translate = useTranslate();
  const { identity, isPending } = useGetIdentity();
  const [regionCode, setRegionCode] = useState<string>();
  if (isPending || !identity) return <LinearProgress />;
  const code = regionCode ?? (identity.regionCode as string);
  return (
    <Card sx={{ mt: 2 }} data-testid="imagery-services-page">
      <Title title={translate('imageryServices.title')} />
      <CardContent sx={{ pb: 0 }}>
        <Form defaultValues={{ regionCode: code }}>
          <RegionPicker onChange={setRegionCode} />
        </Form>
      </CardContent>
      {/* The list's items need a resource (react-admin's array input); this page has none of its own. */}
      <ResourceContextProvider value="imagery-services">
        <ServicesForm key={code} regionCode={code} />
      </ResourceContextProvider>
    </Card>
  );
}
