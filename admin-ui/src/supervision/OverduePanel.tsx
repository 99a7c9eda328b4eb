/**
 * Overdue work of a region: how many tasks, how long overdue, by sub-region (click a bar or a row to drill
 * down the region tree) and by task type (click to list only that type), then the tasks themselves.
 */
import { Box, Button, Card, CardContent, Chip, Skeleton, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { PieChart } from '@mui/x-charts/PieChart';
import { useTranslate } from 'react-admin';
import type { ReactNode } from 'react';
import { UserText } from '../common/UserText';
import { Interpolated } from '../i18n/Interpolated';
import { useOverdue } from './api';
import { overdueLabel, OverdueTasks, WIDE_ONLY } from './OverdueTasks';

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <Card variant="outlined" sx={{ flex: 1, minWidth: 140 }}>
      <CardContent sx={{ py: 1.5, '&:last-child': { pb: 1.5 } }}>
        <Typography variant="caption" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" data-testid={testId}>
          {value}
        </Typography>
      </CardContent>
    </Card>
  );
}

export function OverduePanel({
  regionCode,
  taskType,
  onDrill,
  onTaskType,
}: {
  regionCode: string;
  taskType?: string;
  onDrill: (code: string) => void;
  onTaskType: (type?: string) => void;
}) {
  const translate = useTranslate();
  const { data, isPending } = useOverdue(regionCode);
  if (isPending || !data) return <Skeleton height={240} />;
  const rows = data.regions;
  // As text for the chart's axis, as an element (the name marked as user content) for the table.
  const regionLabel = (r: (typeof rows)[number]) => (r.own ? translate('supervision.ownLevel', { name: r.regionName }) : r.regionName);
  const regionCell = (r: (typeof rows)[number]): ReactNode =>
    r.own ? <Interpolated k="supervision.ownLevel" values={{ name: <UserText>{r.regionName}</UserText> }} /> : <UserText>{r.regionName}</UserText>;
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
        <Stat label={translate('supervision.totalOverdue')} value={data.total.count} testId="overdue-total" />
        <Stat label={translate('supervision.maxOverdue')} value={data.total.count ? overdueLabel(translate, data.total.maxOverdueDays) : '—'} />
        <Stat label={translate('supervision.avgOverdue')} value={data.total.count ? overdueLabel(translate, data.total.avgOverdueDays) : '—'} />
      </Stack>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0,1fr)', lg: 'minmax(0,3fr) minmax(0,2fr)' } }}>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="subtitle2">{translate('supervision.byRegion')}</Typography>
            {rows.some((r) => r.count > 0) && (
              // The axis names the regions: user content.
              <Box data-user-content="">
                <BarChart
                  height={260}
                  dataset={rows.map((r) => ({ name: regionLabel(r), count: r.count, code: r.regionCode }))}
                  xAxis={[{ scaleType: 'band', dataKey: 'name', tickLabelStyle: { fontSize: 11 } }]}
                  yAxis={[{ tickMinStep: 1 }]}
                  series={[{ dataKey: 'count', label: translate('supervision.overdueTasks'), color: '#d32f2f' }]}
                  hideLegend
                  onItemClick={(_, item) => {
                    const r = rows[item.dataIndex];
                    if (r && !r.own) onDrill(r.regionCode);
                  }}
                />
              </Box>
            )}
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="overdue-by-region" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('supervision.region')}</TableCell>
                    <TableCell align="right">{translate('supervision.overdueTasks')}</TableCell>
                    <TableCell sx={WIDE_ONLY}>{translate('supervision.maxOverdue')}</TableCell>
                    <TableCell sx={WIDE_ONLY}>{translate('supervision.byStage')}</TableCell>
                    <TableCell />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {rows.map((r) => (
                    <TableRow key={r.regionCode + (r.own ? ':own' : '')} data-region={r.regionCode} sx={{ opacity: r.count ? 1 : 0.6 }}>
                      <TableCell>{regionCell(r)}</TableCell>
                      <TableCell align="right" sx={{ fontWeight: r.count ? 600 : 400, color: r.count ? 'error.main' : undefined }}>
                        {r.count}
                      </TableCell>
                      <TableCell sx={WIDE_ONLY}>{r.count ? overdueLabel(translate, r.maxOverdueDays) : '—'}</TableCell>
                      <TableCell sx={WIDE_ONLY}>
                        <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
                          {Object.entries(r.byStage).map(([s, n]) => (
                            <Chip key={s} size="small" variant="outlined" label={`${translate(`enums.taskType.${s}`)} ${n}`} />
                          ))}
                        </Stack>
                      </TableCell>
                      <TableCell align="right">
                        {!r.own && (
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
          </CardContent>
        </Card>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="subtitle2">{translate('supervision.byStage')}</Typography>
            {data.byStage.length ? (
              <PieChart
                height={220}
                series={[
                  {
                    data: data.byStage.map((s, i) => ({ id: i, value: s.count, label: translate(`enums.taskType.${s.stage}`) })),
                    innerRadius: 40,
                  },
                ]}
                onItemClick={(_, item) => onTaskType(data.byStage[item.dataIndex]?.stage)}
              />
            ) : (
              <Typography variant="body2">{translate('supervision.noOverdue')}</Typography>
            )}
            <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5, mt: 1 }} data-testid="overdue-by-stage">
              <Chip size="small" label={translate('supervision.allStages')} color={taskType ? 'default' : 'primary'} onClick={() => onTaskType(undefined)} />
              {data.byStage.map((s) => (
                <Chip
                  key={s.stage}
                  size="small"
                  color={taskType === s.stage ? 'primary' : 'default'}
                  label={`${translate(`enums.taskType.${s.stage}`)} ${s.count} · ${translate('supervision.maxShort')} ${overdueLabel(translate, s.maxOverdueDays)}`}
                  onClick={() => onTaskType(s.stage)}
                />
              ))}
            </Stack>
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              {translate('supervision.byAge')}
            </Typography>
            {/* Nothing overdue: a sentence, not an empty chart whose axis reads 0.0… */}
            {data.total.count > 0 ? (
              <Box data-testid="overdue-by-age">
                <BarChart
                  height={160}
                  dataset={data.byAge.map((a) => ({ bucket: translate(`supervision.age.${a.bucket}`), count: a.count }))}
                  xAxis={[{ scaleType: 'band', dataKey: 'bucket' }]}
                  yAxis={[{ tickMinStep: 1, valueFormatter: (v: number) => String(Math.round(v)) }]}
                  series={[{ dataKey: 'count', color: '#ef6c00' }]}
                  hideLegend
                />
              </Box>
            ) : (
              <Typography variant="body2">{translate('supervision.noOverdue')}</Typography>
            )}
          </CardContent>
        </Card>
      </Box>
      <Card variant="outlined">
        <CardContent>
          <Typography variant="subtitle2" sx={{ mb: 1 }}>
            <Interpolated k="supervision.taskList" values={{ region: <UserText>{data.region.name}</UserText> }} />
            {taskType ? ` · ${translate(`enums.taskType.${taskType}`)}` : ''}
          </Typography>
          <OverdueTasks regionCode={regionCode} taskType={taskType} />
        </CardContent>
      </Card>
    </Stack>
  );
}
