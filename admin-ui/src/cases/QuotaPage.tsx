/**
 * The quota ledger (补充耕地指标储备库, and Jiangmen's construction-land plan quota): balances per county and
 * account — frozen, unfrozen, deducted — as a chart and a table, and the append-only ledger with filters.
 */
import { Box, Card, CardContent, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import {
  AutocompleteInput,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  ReferenceInput,
  SelectInput,
  TextField,
  TextInput,
  Title,
  useGetList,
  useTranslate,
} from 'react-admin';
import { formatMu, SHANGHAI_DATETIME } from '../format';
import type { QuotaEntry } from './types';

interface Balance {
  id: string;
  /** The account holder: a county, or a city for the construction-land plan quota (002). */
  regionCode: string;
  regionLevel?: string | null;
  regionName?: string | null;
  account: string;
  frozenMu: number;
  unfrozenMu: number;
  deductedMu: number;
}

/** A region by its name (its code on hover, and in place of a name the API does not know): user content, like any name. */
function RegionName({ name, code }: { name?: string | null; code: string }) {
  return (
    <Box component="span" title={code} data-region-code={code} data-user-content="" sx={{ whiteSpace: 'nowrap' }}>
      {name ?? code}
    </Box>
  );
}

const accountChoices = ['farmland', 'construction_plan'].map((id) => ({ id, name: `enums.quotaAccount.${id}` }));
const kindChoices = ['freeze', 'unfreeze', 'deduct'].map((id) => ({ id, name: `enums.quotaKind.${id}` }));

function Balances() {
  const translate = useTranslate();
  const { data } = useGetList<Balance>('quota/balances', { pagination: { page: 1, perPage: 500 }, sort: { field: 'regionCode', order: 'ASC' } });
  const rows = data ?? [];
  const f = (k: string) => translate(`resources.quota/balances.fields.${k}`);
  const label = (b: Balance) => `${b.regionName ?? b.regionCode}${b.account === 'farmland' ? '' : `·${translate(`enums.quotaAccount.${b.account}`)}`}`;
  return (
    <Card variant="outlined" sx={{ mb: 2 }} data-testid="quota-balances">
      <CardContent>
        <Typography variant="h6" sx={{ fontSize: '1rem', mb: 1 }}>
          {translate('quota.balances')}
        </Typography>
        {rows.length === 0 ? (
          <Typography variant="body2">{translate('quota.noBalances')}</Typography>
        ) : (
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: 'minmax(0,1fr)', lg: 'minmax(0,1fr) minmax(0,1fr)' } }}>
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" sx={{ '& th, & td': { whiteSpace: 'nowrap' } }}>
                <TableHead>
                  <TableRow>
                    {['regionName', 'account', 'frozenMu', 'unfrozenMu', 'deductedMu'].map((k) => (
                      <TableCell key={k}>{f(k)}</TableCell>
                    ))}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {rows.map((b) => (
                    <TableRow key={b.id} data-county={b.regionCode} data-region-level={b.regionLevel ?? undefined} data-account={b.account}>
                      <TableCell>
                        <RegionName name={b.regionName} code={b.regionCode} />
                      </TableCell>
                      <TableCell>{translate(`enums.quotaAccount.${b.account}`, { _: b.account })}</TableCell>
                      <TableCell data-field="frozen">{formatMu(Number(b.frozenMu))}</TableCell>
                      <TableCell data-field="unfrozen">{formatMu(Number(b.unfrozenMu))}</TableCell>
                      <TableCell data-field="deducted">{formatMu(Number(b.deductedMu))}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
            <Box sx={{ minWidth: 0 }}>
              <Typography variant="caption" color="text.secondary">
                {translate('quota.chart')}
              </Typography>
              <BarChart
                height={Math.max(220, rows.length * 48)}
                layout="horizontal"
                dataset={rows.map((b) => ({ name: label(b), frozen: Number(b.frozenMu), unfrozen: Number(b.unfrozenMu), deducted: Number(b.deductedMu) }))}
                yAxis={[{ scaleType: 'band', dataKey: 'name', width: 110 }]}
                series={[
                  { dataKey: 'frozen', label: translate('enums.quotaKind.freeze'), color: '#1565c0' },
                  { dataKey: 'unfrozen', label: translate('enums.quotaKind.unfreeze'), color: '#2e7d32' },
                  { dataKey: 'deducted', label: translate('enums.quotaKind.deduct'), color: '#c62828' },
                ]}
              />
            </Box>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}

const ledgerFilters = [
  <ReferenceInput
    key="countyCode"
    source="countyCode"
    reference="regions"
    filter={{ subtree: true, level: 'county' }}
    sort={{ field: 'code', order: 'ASC' }}
    alwaysOn
  >
    <AutocompleteInput
      optionText={(r: { code: string; name: string }) => `${r.name}（${r.code}）`}
      filterToQuery={(q: string) => ({ q })}
      label="resources.quota/ledger.fields.countyCode"
    />
  </ReferenceInput>,
  <SelectInput key="account" source="account" choices={accountChoices} />,
  <SelectInput key="kind" source="kind" choices={kindChoices} />,
  <TextInput key="caseNo" source="caseNo" />,
  <TextInput key="patchCode" source="patchCode" />,
];

export function QuotaPage() {
  const translate = useTranslate();
  return (
    // A grid of one column no wider than the screen: the ledger's box scrolls sideways, not the page.
    <Box sx={{ mt: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Title title={translate('quota.title')} />
      <Balances />
      <Typography variant="h6" sx={{ fontSize: '1rem', mb: 1 }}>
        {translate('quota.ledger')}
      </Typography>
      <List
        resource="quota/ledger"
        filters={ledgerFilters}
        sort={{ field: 'id', order: 'DESC' }}
        perPage={25}
        title={false}
        disableSyncWithLocation={false}
        sx={{ minWidth: 0, '& .RaList-main, & .RaList-content': { minWidth: 0 } }}
      >
        <Box sx={{ overflowX: 'auto' }}>
          {/* One line a cell (the table scrolls sideways), but the reason, which wraps by words. */}
          <Datagrid
            bulkActionButtons={false}
            rowClick={false}
            data-testid="quota-ledger"
            sx={{ '& th, & td:not(.column-reason)': { whiteSpace: 'nowrap' }, '& td.column-reason': { minWidth: 160 } }}
          >
            <DateField source="at" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
            <FunctionField source="countyCode" render={(e: QuotaEntry) => <RegionName name={e.countyName} code={e.countyCode} />} />
            <FunctionField source="regionCode" render={(e: QuotaEntry) => <RegionName name={e.regionName} code={e.regionCode} />} />
            <FunctionField source="account" render={(e: QuotaEntry) => translate(`enums.quotaAccount.${e.account}`, { _: e.account })} />
            <FunctionField source="kind" render={(e: QuotaEntry) => translate(`enums.quotaKind.${e.kind}`, { _: e.kind })} />
            <NumberField source="areaMu" options={{ maximumFractionDigits: 4 }} />
            {/* The case and, under it, its patch: one column, so that the reason has room on a desktop. */}
            <FunctionField
              source="caseNo"
              label="quota.caseAndPatch"
              render={(e: QuotaEntry) => (
                <>
                  <a href={`#/cases/${encodeURIComponent(e.caseNo)}/show`}>{e.caseNo}</a>
                  <Typography variant="caption" color="text.secondary" component="div" data-field="patchCode">
                    {e.patchCode}
                  </Typography>
                </>
              )}
            />
            <TextField source="reason" />
            <TextField source="actorName" />
          </Datagrid>
        </Box>
      </List>
    </Box>
  );
}
