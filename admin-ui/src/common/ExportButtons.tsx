/** 导出成果 (成果上报): the buttons that download a region's or a batch's patches as GeoPackage or zipped shapefile. */
import { Button, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { downloadExport } from '../statistics/api';

export function ExportButtons({ query }: { query: { regionCode?: string; batchCode?: string; from?: string; to?: string } }) {
  const t = useTranslate();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const run = (format: 'gpkg' | 'shp') => {
    setBusy(true);
    downloadExport({ format, ...query })
      .then((withheld) => {
        if (withheld) notify(t('statistics.exportMilitaryWithheld', { n: withheld }), { type: 'info' });
      })
      .catch((e: Error) => notify(e.message, { type: 'error' }))
      .finally(() => setBusy(false));
  };
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
      <Typography sx={{ minWidth: 90 }}>{t('statistics.exportTitle')}</Typography>
      <Button size="small" variant="outlined" disabled={busy} onClick={() => run('gpkg')} data-testid="export-gpkg">
        {t('statistics.exportGpkg')}
      </Button>
      <Button size="small" variant="outlined" disabled={busy} onClick={() => run('shp')} data-testid="export-shp">
        {t('statistics.exportShp')}
      </Button>
    </Stack>
  );
}
