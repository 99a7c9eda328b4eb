/** Measured vs declared (docs/domain.md §13): GET /api/statistics/measured, per child region, beside the other figures. */
import { Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useTranslate } from 'react-admin';
import { httpClient } from '../dataProvider';
import { formatMu } from '../format';

interface Sums {
  farmlandMu: number;
  basicFarmlandMu: number;
  redLineMu: number;
}
interface Row {
  regionCode: string;
  patches: number;
  measured: Sums;
  declared: Sums;
  overridden: number;
}

export function MeasuredVsDeclared({
  params,
  name,
}: {
  params: { regionCode: string; from: string; to: string; source?: string };
  name: (code: string) => string;
}) {
  const t = useTranslate();
  const { data } = useQuery({
    queryKey: ['statistics-measured', params],
    queryFn: async () => {
      const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as Array<[string, string]>);
      return (await httpClient(`/api/statistics/measured?${query}`)).json as { total: Row; children: Row[] };
    },
  });
  if (!data || data.total.patches === 0) return null;
  const rows = [...data.children.map((r) => ({ ...r, label: name(r.regionCode) })), { ...data.total, label: t('statistics.measured.total') }];
  return (
    <Card variant="outlined">
      <CardContent sx={{ overflowX: 'auto' }}>
        <Typography variant="subtitle1">{t('statistics.measured.title')}</Typography>
        <Typography variant="caption" color="text.secondary" component="div" gutterBottom>
          {t('statistics.measured.hint')}
        </Typography>
        <Table size="small" data-testid="statistics-measured" sx={{ '& td, & th': { whiteSpace: 'nowrap' } }}>
          <TableHead>
            <TableRow>
              <TableCell>{t('statistics.region')}</TableCell>
              <TableCell align="right">{t('statistics.measured.patches')}</TableCell>
              <TableCell align="right">{t('statistics.measured.measuredFarmland')}</TableCell>
              <TableCell align="right">{t('statistics.measured.declaredFarmland')}</TableCell>
              <TableCell align="right">{t('statistics.measured.measuredBasic')}</TableCell>
              <TableCell align="right">{t('statistics.measured.declaredBasic')}</TableCell>
              <TableCell align="right">{t('statistics.measured.measuredRedLine')}</TableCell>
              <TableCell align="right">{t('statistics.measured.declaredRedLine')}</TableCell>
              <TableCell align="right">{t('statistics.measured.overridden')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={`${r.label}:${r.regionCode}`}>
                <TableCell>{r.label}</TableCell>
                <TableCell align="right">{r.patches}</TableCell>
                <TableCell align="right">{formatMu(r.measured.farmlandMu)}</TableCell>
                <TableCell align="right">{formatMu(r.declared.farmlandMu)}</TableCell>
                <TableCell align="right">{formatMu(r.measured.basicFarmlandMu)}</TableCell>
                <TableCell align="right">{formatMu(r.declared.basicFarmlandMu)}</TableCell>
                <TableCell align="right">{formatMu(r.measured.redLineMu)}</TableCell>
                <TableCell align="right">{formatMu(r.declared.redLineMu)}</TableCell>
                <TableCell align="right">{r.overridden}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
