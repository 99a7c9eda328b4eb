/**
 * The problem ledger (问题台账): the region's violation cases with their stage, county, party, path,
 * areas, overdue and carried-over (跨年度) marks; filters by stage, region, open, carried over, overdue.
 */
import { Box, useMediaQuery, type Theme } from '@mui/material';
import {
  AutocompleteInput,
  BooleanInput,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  NumberInput,
  ReferenceInput,
  SearchInput,
  SelectInput,
  SimpleList,
  TextField,
  useTranslate,
} from 'react-admin';
import { CASE_STAGES } from '../../../domain/types';
import { formatDateTime, formatMu, SHANGHAI_DATETIME } from '../format';
import { CaseStatusChips } from './CaseStatusChips';
import type { CaseRecord } from './types';

const stageChoices = CASE_STAGES.map((id) => ({ id, name: `enums.caseStage.${id}` }));

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={stageChoices} />,
  <ReferenceInput key="regionCode" source="regionCode" reference="regions" filter={{ subtree: true }} sort={{ field: 'code', order: 'ASC' }}>
    <AutocompleteInput
      optionText={(r: { code: string; name: string }) => `${r.name}（${r.code}）`}
      filterToQuery={(q: string) => ({ q })}
      label="resources.cases.fields.regionCode"
    />
  </ReferenceInput>,
  <BooleanInput key="open" source="open" />,
  <BooleanInput key="carriedOver" source="carriedOver" />,
  <BooleanInput key="overdue" source="overdue" />,
  <NumberInput key="year" source="year" />,
];

function CaseRows() {
  const translate = useTranslate();
  const small = useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'));
  if (small) {
    return (
      <SimpleList<CaseRecord>
        linkType="show"
        primaryText={(c) => `${c.caseNo} · ${c.party?.name ?? translate('case.notYet')}`}
        secondaryText={(c) => `${c.regionName ?? ''} · ${formatMu(c.illegalMu)} ${translate('task.mu')} · ${formatDateTime(c.dueAt)}`}
        tertiaryText={(c) => <CaseStatusChips record={c} compact />}
      />
    );
  }
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="caseNo" />
        <TextField source="regionName" />
        <FunctionField source="status" render={(c: CaseRecord) => <CaseStatusChips record={c} />} />
        <FunctionField source="party" sortable={false} render={(c: CaseRecord) => c.party?.name ?? '—'} />
        <FunctionField source="path" sortable={false} render={(c: CaseRecord) => (c.path ? translate(`enums.rectificationPath.${c.path}`) : '—')} />
        <NumberField source="illegalMu" sortable={false} options={{ maximumFractionDigits: 2 }} />
        <NumberField source="illegalFarmlandMu" sortable={false} options={{ maximumFractionDigits: 2 }} />
        <TextField source="primaryPatchCode" sortable={false} />
        <DateField source="dueAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
        <DateField source="openedAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
      </Datagrid>
    </Box>
  );
}

export function CaseList() {
  return (
    <List filters={filters} sort={{ field: 'openedAt', order: 'DESC' }} perPage={25}>
      <CaseRows />
    </List>
  );
}
