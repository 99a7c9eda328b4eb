/**
 * 统计分析: the supervision figures of a region for a year, a half-year or a month (docs/domain.md §11), with charts by sub-region,
 * the accountability warning, the concealment interview rule, rankings, and the half-year and annual
 * reports to download (§12). Clicking a sub-region drills down; "up" goes back within one's jurisdiction.
 */
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Grid,
  MenuItem,
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
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Title, useGetIdentity, useGetMany, useNotify, useTranslate } from 'react-admin';
import { ExportButtons } from '../common/ExportButtons';
import { downloadReport, fetchStatistics, type Figures } from './api';
import { MeasuredVsDeclared } from './MeasuredVsDeclared';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** The periods one can pick within a year: the whole year, either half, or a month. */
const PERIODS = ['year', 'h1', 'h2', ...Array.from({ length: 12 }, (_, i) => `m${String(i + 1).padStart(2, '0')}`)] as const;
type Period = (typeof PERIODS)[number];

/** [from, to) of a period of a year, as the API's YYYY-MM-DD dates (Asia/Shanghai days). */
export function periodRange(year: number, period: Period): { from: string; to: string } {
  const day = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`;
  if (period === 'year') return { from: day(year, 1), to: day(year + 1, 1) };
  if (period === 'h1') return { from: day(year, 1), to: day(year, 7) };
  if (period === 'h2') return { from: day(year, 7), to: day(year + 1, 1) };
  const month = Number(period.slice(1));
  return { from: day(year, month), to: month === 12 ? day(year + 1, 1) : day(year, month + 1) };
}
const mu = (v: number) => v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** The parent of a region code (county → city → province → nation). */
function parentOf(code: string): string {
  if (code.endsWith('0000')) return '000000';
  if (code.endsWith('00')) return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}
/** The day before a YYYY-MM-DD date (the period's last day, for display). */
const lastDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const prefix = (code: string) => (code === '000000' ? '' : code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code);

function Kpi({ label, value, hint, color }: { label: string; value: string | number; hint?: string; color?: 'error' | 'warning' | 'success' }) {
  return (
    <Card variant="outlined" sx={{ height: '100%' }}>
      <CardContent sx={{ py: 1.5, '&:last-child': { pb: 1.5 } }}>
        <Typography variant="caption" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" color={color ? `${color}.main` : undefined} data-testid={`kpi-${label}`}>
          {value}
        </Typography>
        {hint && (
          <Typography variant="caption" color="text.secondary">
            {hint}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}

function FigureCards({ f }: { f: Figures }) {
  const t = useTranslate();
  const warning = f.accountability.warning;
  const cards = [
    { label: t('statistics.issued'), value: f.issued, hint: `${t('statistics.military')} ${f.military}` },
    { label: t('statistics.clearanceRate'), value: pct(f.clearanceRate), hint: `${t('statistics.verifiedLate')} ${f.verifiedLate}` },
    { label: t('statistics.fillingRate'), value: pct(f.fillingRate), hint: t('statistics.filedOf', { filed: f.filed, sentBack: f.sentBack }) },
    { label: t('statistics.errorRate'), value: pct(f.errorRate), hint: t('statistics.filedOf', { filed: f.filed, sentBack: f.sentBack }) },
    { label: t('statistics.overdueNow'), value: f.overdueNow, color: f.overdueNow > 0 ? ('error' as const) : undefined },
    { label: t('statistics.legal'), value: f.legal.count, hint: `${t('statistics.legalArea')} ${mu(f.legal.areaMu)}` },
    { label: t('statistics.illegal'), value: f.illegal.count, hint: `${t('statistics.illegalArea')} ${mu(f.illegal.areaMu)}` },
    { label: t('statistics.other'), value: f.other.count, hint: `${t('statistics.otherArea')} ${mu(f.other.areaMu)}` },
    { label: t('statistics.illegalFarmland'), value: mu(f.illegal.farmlandMu) },
    { label: t('statistics.directDeterminations'), value: f.directDeterminations },
    {
      label: t('statistics.rectificationRate'),
      value: pct(f.rectificationRate),
      hint: `${t('statistics.farmlandRectificationRate')} ${pct(f.farmlandRectificationRate)}`,
    },
    {
      label: t('statistics.accountability'),
      value: pct(f.accountability.ratio),
      hint: warning
        ? t(warning === 'reached' ? 'statistics.warningReached' : 'statistics.warningNear')
        : `${t('statistics.threshold')} ${pct(f.accountability.threshold)}`,
      color: warning === 'reached' ? ('error' as const) : warning === 'near' ? ('warning' as const) : undefined,
    },
    {
      label: t('statistics.concealmentRate'),
      value: pct(f.concealmentRate),
      hint: f.concealmentInterview
        ? t('statistics.concealmentInterview')
        : t('statistics.concealedOfChecked', { concealed: f.provinceConcealed, checked: f.provinceChecked }),
      color: f.concealmentInterview ? ('error' as const) : undefined,
    },
    { label: t('statistics.lateIssuance'), value: f.lateIssuance },
    // 地矿同核: the mineral results, apart from the land ones (absent in answers from before).
    ...(f.mineral
      ? [
          {
            label: t('statistics.mineralIllegal'),
            value: f.mineral.illegalMining.count + f.mineral.beyondBoundary.count,
            hint: t('statistics.mineralHint', {
              illegal: f.mineral.illegalMining.count,
              beyond: f.mineral.beyondBoundary.count,
              cases: f.mineral.cases,
            }),
          },
        ]
      : []),
  ];
  return (
    <Grid container spacing={1.5}>
      {cards.map((c) => (
        <Grid key={c.label} size={{ xs: 6, sm: 4, md: 3, lg: 2.4 }}>
          <Kpi {...c} />
        </Grid>
      ))}
    </Grid>
  );
}

export function StatisticsPage() {
  const t = useTranslate();
  const notify = useNotify();
  const { identity } = useGetIdentity();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [period, setPeriod] = useState<Period>('year');
  const range = periodRange(year, period);
  const [source, setSource] = useState('');
  const [picked, setPicked] = useState<string>();
  const home = identity?.regionCode as string | undefined;
  const regionCode = picked ?? home;
  const { data, isLoading, error } = useQuery({
    queryKey: ['statistics', regionCode, range.from, range.to, source],
    queryFn: () => fetchStatistics({ regionCode: regionCode!, ...range, source }),
    enabled: !!regionCode,
  });
  const codes = data
    ? [
        data.regionCode,
        ...data.children.map((c) => c.regionCode),
        ...(data.rankings?.cities?.combined ?? []).map((r) => r.regionCode),
        ...(data.rankings?.counties?.combined ?? []).map((r) => r.regionCode),
      ]
    : [];
  const { data: regions } = useGetMany('regions', { ids: [...new Set(codes)] }, { enabled: codes.length > 0 });
  const name = (code: string) => regions?.find((r) => r.id === code)?.name ?? code;
  const canGoUp = regionCode && home && regionCode !== home && parentOf(regionCode).startsWith(prefix(home)) ? parentOf(regionCode) : undefined;

  const download = (kind: 'half-year' | 'annual', format: 'xlsx' | 'csv', sheet?: string) =>
    downloadReport(kind, { regionCode: regionCode!, year, format, sheet, source }).catch((e: Error) => notify(e.message, { type: 'error' }));

  return (
    <Box sx={{ p: { xs: 1, sm: 2 } }} data-testid="statistics-page">
      <Title title={t('statistics.title')} />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ mb: 2, alignItems: { sm: 'center' } }}>
        <Typography variant="h6" sx={{ flexGrow: 1 }}>
          {regionCode ? name(regionCode) : ''} · {year} {period !== 'year' && t(`statistics.periods.${period}`)}
        </Typography>
        {canGoUp && (
          <Button size="small" onClick={() => setPicked(canGoUp)}>
            {t('statistics.up')}
          </Button>
        )}
        <TextField select size="small" label={t('statistics.year')} value={year} onChange={(e) => setYear(Number(e.target.value))} sx={{ width: 110 }}>
          {[thisYear, thisYear - 1, thisYear - 2].map((y) => (
            <MenuItem key={y} value={y}>
              {y}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label={t('statistics.period')}
          value={period}
          onChange={(e) => setPeriod(e.target.value as Period)}
          sx={{ width: 120 }}
          data-testid="period"
        >
          {PERIODS.map((p) => (
            <MenuItem key={p} value={p}>
              {t(`statistics.periods.${p}`)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label={t('statistics.source')}
          value={source}
          onChange={(e) => setSource(e.target.value)}
          sx={{ width: 150 }}
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
        >
          <MenuItem value="">{t('statistics.allSources')}</MenuItem>
          <MenuItem value="ministry">{t('enums.source.ministry')}</MenuItem>
          <MenuItem value="province">{t('enums.source.province')}</MenuItem>
        </TextField>
      </Stack>
      {error && <Alert severity="error">{(error as Error).message}</Alert>}
      {isLoading && <Typography color="text.secondary">…</Typography>}
      {data && (
        <Stack spacing={2}>
          <FigureCards f={data.figures} />
          <Typography variant="caption" color="text.secondary" data-testid="statistics-period">
            {t('statistics.periodRange', { from: range.from, to: lastDay(range.to) })}
            {data.rectifiedBy ? ` · ${t('statistics.rectifiedBy', { date: data.rectifiedBy })}` : ''}
          </Typography>

          <MeasuredVsDeclared params={{ regionCode: data.regionCode, ...range, source }} name={name} />

          {data.children.length > 0 && (
            <Grid container spacing={2}>
              <Grid size={{ xs: 12, md: 6 }}>
                <Card variant="outlined">
                  <CardContent>
                    <Typography variant="subtitle1">{t('statistics.legalityByRegion')}</Typography>
                    <BarChart
                      height={260}
                      xAxis={[{ scaleType: 'band', data: data.children.map((c) => name(c.regionCode)) }]}
                      series={[
                        { label: t('statistics.legal'), data: data.children.map((c) => c.figures.legal.count), stack: 'l' },
                        { label: t('statistics.illegal'), data: data.children.map((c) => c.figures.illegal.count), stack: 'l' },
                        { label: t('statistics.other'), data: data.children.map((c) => c.figures.other.count), stack: 'l' },
                      ]}
                    />
                  </CardContent>
                </Card>
              </Grid>
              <Grid size={{ xs: 12, md: 6 }}>
                <Card variant="outlined">
                  <CardContent>
                    <Typography variant="subtitle1">
                      {t('statistics.accountabilityByRegion')} · {t('statistics.threshold')} {pct(data.figures.accountability.threshold)}
                    </Typography>
                    <BarChart
                      height={260}
                      xAxis={[{ scaleType: 'band', data: data.children.map((c) => name(c.regionCode)) }]}
                      series={[
                        {
                          label: t('statistics.accountability'),
                          data: data.children.map((c) => Math.round((c.figures.accountability.ratio ?? 0) * 1000) / 10),
                        },
                      ]}
                    />
                  </CardContent>
                </Card>
              </Grid>
            </Grid>
          )}

          {data.children.length > 0 && (
            <Card variant="outlined">
              <CardContent sx={{ overflowX: 'auto' }}>
                <Typography variant="subtitle1" gutterBottom>
                  {t('statistics.byRegion')}
                </Typography>
                <Table size="small" data-testid="statistics-children" sx={{ '& th:first-of-type, & tbody td': { whiteSpace: 'nowrap' } }}>
                  <TableHead>
                    <TableRow>
                      <TableCell>{t('statistics.region')}</TableCell>
                      <TableCell align="right">{t('statistics.issued')}</TableCell>
                      <TableCell align="right">{t('statistics.clearanceRate')}</TableCell>
                      <TableCell align="right">{t('statistics.overdueNow')}</TableCell>
                      <TableCell align="right">{t('statistics.legalArea')}</TableCell>
                      <TableCell align="right">{t('statistics.illegalArea')}</TableCell>
                      <TableCell align="right">{t('statistics.otherArea')}</TableCell>
                      <TableCell align="right">{t('statistics.rectificationRate')}</TableCell>
                      <TableCell align="right">{t('statistics.accountability')}</TableCell>
                      <TableCell align="right">{t('statistics.concealmentRate')}</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {data.children.map((c) => (
                      <TableRow key={c.regionCode} hover sx={{ cursor: 'pointer' }} onClick={() => setPicked(c.regionCode)}>
                        <TableCell>{name(c.regionCode)}</TableCell>
                        <TableCell align="right">{c.figures.issued}</TableCell>
                        <TableCell align="right">{pct(c.figures.clearanceRate)}</TableCell>
                        <TableCell align="right">{c.figures.overdueNow}</TableCell>
                        <TableCell align="right">{mu(c.figures.legal.areaMu)}</TableCell>
                        <TableCell align="right">{mu(c.figures.illegal.areaMu)}</TableCell>
                        <TableCell align="right">{mu(c.figures.other.areaMu)}</TableCell>
                        <TableCell align="right">{pct(c.figures.rectificationRate)}</TableCell>
                        <TableCell align="right">
                          {pct(c.figures.accountability.ratio)}{' '}
                          {c.figures.accountability.warning && (
                            <Chip
                              size="small"
                              color={c.figures.accountability.warning === 'reached' ? 'error' : 'warning'}
                              label={t(c.figures.accountability.warning === 'reached' ? 'statistics.warningReached' : 'statistics.warningNear')}
                            />
                          )}
                        </TableCell>
                        <TableCell align="right">
                          {pct(c.figures.concealmentRate)}{' '}
                          {c.figures.concealmentInterview && <Chip size="small" color="error" label={t('statistics.concealmentInterview')} />}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </CardContent>
            </Card>
          )}

          <Grid container spacing={2}>
            {data.rankings &&
              (['cities', 'counties'] as const).map((level) => {
                const ranking = data.rankings?.[level];
                return ranking ? (
                  <Grid key={level} size={{ xs: 12, md: 6 }}>
                    <Card variant="outlined">
                      <CardContent>
                        <Typography variant="subtitle1">
                          {t(level === 'cities' ? 'statistics.rankCities' : 'statistics.rankCounties', { n: ranking.top })}
                        </Typography>
                        <Table size="small" data-testid={`ranking-${level}`}>
                          <TableHead>
                            <TableRow>
                              <TableCell>{t('statistics.rank')}</TableCell>
                              <TableCell>{t('statistics.region')}</TableCell>
                              <TableCell align="right">{t('statistics.illegalArea')}</TableCell>
                              <TableCell align="right">{t('statistics.rankShare')}</TableCell>
                            </TableRow>
                          </TableHead>
                          <TableBody>
                            {ranking.combined.map((r) => (
                              <TableRow key={r.regionCode}>
                                <TableCell>{r.rank}</TableCell>
                                <TableCell>{name(r.regionCode)}</TableCell>
                                <TableCell align="right">
                                  {mu(r.illegalAreaMu)}{' '}
                                  <Typography component="span" variant="caption" color="text.secondary">
                                    {t('statistics.placed', { n: r.areaRank })}
                                  </Typography>
                                </TableCell>
                                <TableCell align="right">
                                  {pct(r.ratio)}{' '}
                                  <Typography component="span" variant="caption" color="text.secondary">
                                    {t('statistics.placed', { n: r.shareRank })}
                                  </Typography>
                                </TableCell>
                              </TableRow>
                            ))}
                          </TableBody>
                        </Table>
                      </CardContent>
                    </Card>
                  </Grid>
                ) : null;
              })}
            <Grid size={{ xs: 12, md: 6 }}>
              <Card variant="outlined">
                <CardContent>
                  <Typography variant="subtitle1">{t('statistics.quota')}</Typography>
                  <Table size="small">
                    <TableHead>
                      <TableRow>
                        <TableCell />
                        <TableCell align="right">{t('statistics.frozen')}</TableCell>
                        <TableCell align="right">{t('statistics.unfrozen')}</TableCell>
                        <TableCell align="right">{t('statistics.deducted')}</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {data.quota.map((q) => (
                        <TableRow key={q.account}>
                          <TableCell>{t(`statistics.accounts.${q.account}`, { _: q.account })}</TableCell>
                          <TableCell align="right">{mu(q.frozenMu)}</TableCell>
                          <TableCell align="right">{mu(q.unfrozenMu)}</TableCell>
                          <TableCell align="right">{mu(q.deductedMu)}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </CardContent>
              </Card>
            </Grid>
            <Grid size={{ xs: 12, md: 6 }}>
              <Card variant="outlined">
                <CardContent>
                  <Typography variant="subtitle1" gutterBottom>
                    {t('statistics.reports')}
                  </Typography>
                  {(['half-year', 'annual'] as const).map((kind) => (
                    <Stack key={kind} direction="row" spacing={1} sx={{ mb: 1, flexWrap: 'wrap', alignItems: 'center' }}>
                      <Typography sx={{ minWidth: 90 }}>{t(kind === 'half-year' ? 'statistics.halfYear' : 'statistics.annual')}</Typography>
                      <Button size="small" variant="contained" onClick={() => download(kind, 'xlsx')} data-testid={`download-${kind}-xlsx`}>
                        XLSX
                      </Button>
                      {(['summary', 'regions', 'quality', 'patches', 'cases', 'quota'] as const).map((sheet) => (
                        <Button key={sheet} size="small" onClick={() => download(kind, 'csv', sheet)}>
                          CSV·{t(`statistics.sheets.${sheet}`)}
                        </Button>
                      ))}
                    </Stack>
                  ))}
                  {regionCode && <ExportButtons query={{ regionCode, from: range.from, to: range.to }} />}
                </CardContent>
              </Card>
            </Grid>
          </Grid>
        </Stack>
      )}
    </Box>
  );
}
