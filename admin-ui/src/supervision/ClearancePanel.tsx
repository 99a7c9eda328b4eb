/**
 * Monthly clearance (月清) of a region for a month (the current one by default): per sub-region, the
 * patches issued in the month or due in it, how many were verified and reported on time, late, still
 * open (and overdue), and the on-time rate.
 */
import {
  Box,
  Button,
  Card,
  CardContent,
  LinearProgress,
  Skeleton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { useTranslate } from 'react-admin';
import { UserText } from '../common/UserText';
import { paren } from '../i18n/punctuation';
import { useClearance, type ClearanceCounts } from './api';

const pct = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}%`);

function Rate({ c }: { c: ClearanceCounts }) {
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 140 }}>
      <LinearProgress
        variant="determinate"
        value={(c.rate ?? 0) * 100}
        color={c.rate === null ? 'inherit' : c.rate >= 0.9 ? 'success' : c.rate >= 0.6 ? 'warning' : 'error'}
        sx={{ flex: 1, height: 8, borderRadius: 4 }}
      />
      <Typography variant="body2" sx={{ minWidth: 48, textAlign: 'right' }}>
        {pct(c.rate)}
      </Typography>
    </Stack>
  );
}

export function ClearancePanel({
  regionCode,
  month,
  onMonth,
  onDrill,
}: {
  regionCode: string;
  month: string;
  onMonth: (m: string) => void;
  onDrill: (code: string) => void;
}) {
  const translate = useTranslate();
  const { data, isPending, error } = useClearance(regionCode, month);
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <TextField
          type="month"
          size="small"
          label={translate('supervision.month')}
          value={month || data?.month || ''}
          onChange={(e) => onMonth(e.target.value)}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'clearance-month' } }}
          sx={{ width: 220 }}
        />
        <Typography variant="body2" color="text.secondary">
          {translate('supervision.clearanceHint')}
        </Typography>
      </Stack>
      {error ? <Typography color="error">{String((error as Error).message)}</Typography> : null}
      {isPending || !data ? (
        <Skeleton height={200} />
      ) : (
        <>
          <Card variant="outlined">
            <CardContent>
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
                <Typography variant="subtitle1" sx={{ minWidth: 160 }}>
                  <UserText>{data.region.name}</UserText> · {data.month}
                </Typography>
                <Box sx={{ flex: 1 }} data-testid="clearance-total">
                  <Rate c={data.total} />
                  <Typography variant="caption" color="text.secondary">
                    {translate('supervision.clearanceCounts', {
                      total: data.total.total,
                      onTime: data.total.onTime,
                      late: data.total.late,
                      open: data.total.open,
                      openOverdue: data.total.openOverdue,
                    })}
                  </Typography>
                </Box>
              </Stack>
            </CardContent>
          </Card>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0,1fr)', lg: 'minmax(0,3fr) minmax(0,2fr)' } }}>
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="clearance-table" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('supervision.region')}</TableCell>
                    <TableCell align="right">{translate('supervision.clearance.total')}</TableCell>
                    <TableCell align="right">{translate('supervision.clearance.onTime')}</TableCell>
                    <TableCell align="right">{translate('supervision.clearance.late')}</TableCell>
                    <TableCell align="right">{translate('supervision.clearance.open')}</TableCell>
                    <TableCell>{translate('supervision.clearance.rate')}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.regions.map((r) => (
                    <TableRow key={r.regionCode} data-region={r.regionCode} sx={{ opacity: r.total ? 1 : 0.6 }}>
                      <TableCell>
                        <UserText>{r.regionName}</UserText>
                      </TableCell>
                      <TableCell align="right">{r.total}</TableCell>
                      <TableCell align="right">{r.onTime}</TableCell>
                      <TableCell align="right">{r.late}</TableCell>
                      <TableCell align="right" sx={{ color: r.openOverdue ? 'error.main' : undefined }}>
                        {r.open}
                        {r.openOverdue ? paren(translate, translate('supervision.clearance.overdueN', { n: r.openOverdue })) : ''}
                      </TableCell>
                      <TableCell>
                        <Rate c={r} />
                      </TableCell>
                      <TableCell>
                        {r.regionCode !== data.region.code && (
                          <Button size="small" onClick={() => onDrill(r.regionCode)}>
                            {translate('supervision.drillDown')}
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
            <Card variant="outlined">
              <CardContent>
                <Typography variant="subtitle2">{translate('supervision.clearanceChart')}</Typography>
                {/* The axis names the regions: user content (the legend is the table's headings again). */}
                <Box data-user-content="">
                  <BarChart
                    height={Math.max(220, data.regions.length * 36)}
                    layout="horizontal"
                    dataset={data.regions.map((r) => ({ name: r.regionName, onTime: r.onTime, late: r.late, open: r.open }))}
                    yAxis={[{ scaleType: 'band', dataKey: 'name', width: 90 }]}
                    xAxis={[{ tickMinStep: 1 }]}
                    series={[
                      { dataKey: 'onTime', stack: 'a', label: translate('supervision.clearance.onTime'), color: '#2e7d32' },
                      { dataKey: 'late', stack: 'a', label: translate('supervision.clearance.late'), color: '#ef6c00' },
                      { dataKey: 'open', stack: 'a', label: translate('supervision.clearance.open'), color: '#c62828' },
                    ]}
                  />
                </Box>
              </CardContent>
            </Card>
          </Box>
        </>
      )}
    </Stack>
  );
}
