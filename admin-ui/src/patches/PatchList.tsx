/** All patches of the region with their stage and legality: a table on a laptop, a list of cards on a phone. */
import { Box, useMediaQuery, type Theme } from '@mui/material';
import {
  BooleanField,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  SearchInput,
  SelectInput,
  SimpleList,
  TextField,
  useTranslate,
} from 'react-admin';
import { UserText } from '../common/UserText';
import { choices } from '../i18n';
import { formatDate, formatDateTime, formatMu, SHANGHAI_DATE, SHANGHAI_DATETIME } from '../format';
import { PatchStatusChips } from './PatchAttributes';
import type { PatchRecord } from './types';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="stage" source="stage" choices={choices('stage')} />,
  <SelectInput key="legality" source="legality" choices={choices('legality')} />,
  <SelectInput key="category" source="category" choices={choices('category')} />,
];

function PatchRows() {
  const translate = useTranslate();
  const small = useMediaQuery<Theme>((theme) => theme.breakpoints.down('md'));
  if (small) {
    return (
      <SimpleList<PatchRecord>
        linkType="show"
        primaryText={(p) => <Box sx={{ wordBreak: 'break-all' }}>{p.code}</Box>}
        secondaryText={(p) => (
          <>
            <UserText>{p.regionName}</UserText> · {translate(`enums.category.${p.category}`)} · {formatMu(p.areaMu)} {translate('task.mu')}
            <Box component="span" sx={{ display: 'block' }}>
              {translate('resources.patches.fields.issuedAt')} {formatDate(p.issuedAt)}
              {p.dueAt ? ` · ${translate('resources.patches.fields.dueAt')} ${formatDateTime(p.dueAt)}` : ''}
            </Box>
            <Box component="span" sx={{ display: 'block', mt: 0.5 }}>
              <PatchStatusChips patch={p} />
            </Box>
          </>
        )}
      />
    );
  }
  return (
    <Datagrid rowClick="show" bulkActionButtons={false}>
      <TextField source="code" />
      <FunctionField source="regionName" render={(r: PatchRecord) => <UserText>{r.regionName}</UserText>} />
      <FunctionField source="category" render={(r: PatchRecord) => translate(`enums.category.${r.category}`)} />
      <NumberField source="areaMu" options={{ maximumFractionDigits: 2 }} />
      <DateField source="issuedAt" locales="zh-CN" options={SHANGHAI_DATE} />
      <FunctionField source="stage" render={(r: PatchRecord) => translate(`enums.stage.${r.stage}`)} />
      <FunctionField source="legality" render={(r: PatchRecord) => (r.legality ? translate(`enums.legality.${r.legality}`) : '')} />
      <BooleanField source="overdue" />
      <DateField source="dueAt" showTime locales="zh-CN" options={SHANGHAI_DATETIME} />
    </Datagrid>
  );
}

export function PatchList() {
  return (
    <List filters={filters} sort={{ field: 'issuedAt', order: 'DESC' }}>
      <PatchRows />
    </List>
  );
}
